import { join } from 'node:path';
import { applyPostgresConnector, ConnectClient, connectorName, defaultSlotName } from '@pg2ddb/kafka';
import { createPgPool, dropPublication, dropReplicationSlot } from '@pg2ddb/postgres';
import { repoRoot } from '@pg2ddb/service';
import { settings } from '../cli-settings';
import { loadMappingFile } from '../load-mapping-file';

/** `pg2ddb connector apply|status|delete --mapping FILE [--drop-slot]`. */
export async function connectorCommand(
  action: string,
  mappingPath: string,
  dropSlot: boolean,
  env: Record<string, string | undefined>,
  print: (line: string) => void,
): Promise<number> {
  const mapping = loadMappingFile(mappingPath);
  const connectUrl = settings.connectUrl(env);
  const connector = settings.connector(env, mapping);
  const name = connectorName(connector.topicPrefix);
  switch (action) {
    case 'apply': {
      const result = await applyPostgresConnector({
        connectUrl,
        templatePath: join(repoRoot(), 'infra/debezium/postgres-connector.json'),
        settings: connector,
      });
      print(`connector ${result.connector.name} ${result.created ? 'created' : 'updated'} and RUNNING (tables: ${connector.tables.join(', ')})`);
      return 0;
    }
    case 'status': {
      const status = await new ConnectClient(connectUrl).status(name);
      if (!status) {
        print(`connector ${name} does not exist`);
        return 1;
      }
      print(`connector ${name}: ${status.connector.state}; tasks: ${status.tasks.map((task) => `${task.id}=${task.state}`).join(', ') || 'none'}`);
      return status.connector.state === 'RUNNING' ? 0 : 1;
    }
    case 'delete': {
      const deleted = await new ConnectClient(connectUrl).delete(name);
      print(deleted ? `connector ${name} deleted` : `connector ${name} did not exist`);
      if (dropSlot) {
        const pool = createPgPool(settings.postgres(env));
        try {
          const slot = connector.slotName ?? defaultSlotName(connector.topicPrefix);
          print((await dropReplicationSlot(pool, slot)) ? `replication slot ${slot} dropped` : `replication slot ${slot} did not exist`);
          await dropPublication(pool, connector.publicationName ?? slot);
        } finally {
          await pool.end();
        }
      }
      return 0;
    }
    default:
      throw new Error(`unknown connector action "${action}" (use apply, status or delete)`);
  }
}
