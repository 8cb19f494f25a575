import { changeTopic, topicNames } from '@pg2ddb/contracts';
import { createDynamoClient } from '@pg2ddb/dynamo';
import { ConnectClient, connectorName, consumerLag, createKafka, topicSize } from '@pg2ddb/kafka';
import { createPgPool } from '@pg2ddb/postgres';
import { settings } from '../cli-settings';
import { entityCounts } from '../entity-counts';
import { loadMappingFile } from '../load-mapping-file';

/** `pg2ddb status --mapping FILE`: connector state, per-entity counts, consumer lag, DLQ size. */
export async function statusCommand(mappingPath: string, env: Record<string, string | undefined>, print: (line: string) => void): Promise<number> {
  const mapping = loadMappingFile(mappingPath);
  const kafkaSettings = settings.kafka(env);
  const prefix = kafkaSettings.PG2DDB_TOPIC_PREFIX;
  const topics = topicNames(prefix);
  const kafka = createKafka({ brokers: kafkaSettings.PG2DDB_KAFKA_BROKERS, clientId: 'pg2ddb-cli' });
  const pg = createPgPool(settings.postgres(env));
  const dynamo = createDynamoClient(settings.dynamo(env));
  try {
    const connector = await new ConnectClient(settings.connectUrl(env)).status(connectorName(prefix));
    print(`connector ${connectorName(prefix)}: ${connector ? `${connector.connector.state} (tasks: ${connector.tasks.map((t) => t.state).join(', ') || 'none'})` : 'absent'}`);
    const sources = mapping.sourceTables().map(({ schema, table }) => changeTopic(prefix, schema, table));
    const [transformerLag, writerLag, dlq, counts] = await Promise.all([
      consumerLag(kafka, `${prefix}.transformer`, sources),
      consumerLag(kafka, `${prefix}.writer`, [topics.writes]),
      topicSize(kafka, topics.dlq),
      entityCounts(mapping, pg, dynamo),
    ]);
    print(`lag: transformer ${transformerLag}, writer ${writerLag}; dead letters: ${dlq}`);
    for (const count of counts) {
      const state = count.items === count.rows ? 'in sync' : `${count.rows - count.items > 0 ? 'missing' : 'extra'} ${Math.abs(count.rows - count.items)}`;
      print(`${count.entity.padEnd(16)} rows ${count.rows}  items ${count.items}  (${state})`);
    }
    return 0;
  } finally {
    await pg.end();
    dynamo.destroy();
  }
}
