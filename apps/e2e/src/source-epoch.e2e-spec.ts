import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { type AttributeMap } from '@pg2ddb/contracts';
import { toSdkItem } from '@pg2ddb/dynamo';
import { createKafka } from '@pg2ddb/kafka';
import { runReconciliation, type ReconcileContext } from '@pg2ddb/reconcile';
import { eventually, keyOf, TestPipeline, type PipelineOptions } from '@pg2ddb/testing';
import type { Kafka, Producer } from 'kafkajs';

// The source moves to a new cluster (dump/restore, blue/green, an upgrade by logical replication):
// its LSNs restart below the ones DynamoDB's items carry, so every change looks stale and the table
// silently freezes. The reconciler must say so (items whose _ver is above the source's position),
// the writer's stale-command series must show it, and bumping PG2DDB_SOURCE_EPOCH must unfreeze it.
const examples = join(__dirname, '../../../examples/payments');
// A version from the old cluster's WAL history, far ahead of this one's (LSN FFFF/0).
const OLD_CLUSTER_VERSION = `0000ffff00000000${'0'.repeat(16)}1`;

describe('source epoch: moving the source to a new cluster', () => {
  const serviceEnv: NonNullable<PipelineOptions['serviceEnv']> = { transformer: {}, writer: {} };
  let pipeline: TestPipeline;
  let kafka: Kafka;
  let producer: Producer;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping: readFileSync(join(examples, 'mapping.yaml'), 'utf8'),
      schemaSql: `${readFileSync(join(examples, 'schema.sql'), 'utf8')}\n${readFileSync(join(examples, 'seed.sql'), 'utf8').replaceAll('{{rows}}', '5')}`,
      serviceEnv,
    });
    kafka = createKafka({ brokers: pipeline.env.PG2DDB_KAFKA_BROKERS!.split(','), clientId: `${pipeline.names.id}-epoch` });
    producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await pipeline?.stop();
  });

  const statuses = async () => (await pipeline.items()).map((item) => (item.PaymentStatus as { S: string }).S).sort();
  const context = (sourceEpoch: number): ReconcileContext => ({
    pg: pipeline.pg,
    dynamo: pipeline.dynamo,
    kafka,
    producer,
    mapping: pipeline.mapping,
    topicPrefix: pipeline.names.prefix,
    sourceEpoch,
  });

  it('is seen as versions ahead of the source, and a new epoch makes later changes win again', async () => {
    await eventually(async () => expect(await pipeline.items()).toHaveLength(5), { timeoutMs: 60_000 });
    // The items as the old cluster left them: same values, versions from its longer WAL history.
    for (const item of await pipeline.items()) {
      await pipeline.dynamo.send(
        new UpdateItemCommand({ TableName: pipeline.names.table, Key: toSdkItem(keyOf(item) as AttributeMap), UpdateExpression: 'SET #v = :v', ExpressionAttributeNames: { '#v': '_ver' }, ExpressionAttributeValues: { ':v': { S: OLD_CLUSTER_VERSION } } }),
      );
    }
    const moved = await runReconciliation(context(0), { mode: 'full', confirmTimeoutMs: 30_000, publish: false });
    expect(moved.entities[0]?.versionsAhead).toBe(5);

    // Without a new epoch every change is refused as stale, and the stale series shows it.
    await pipeline.query(`UPDATE payments SET paymentstatus = 'FROZEN'`);
    const metrics = async () => (await fetch(`${pipeline.serviceUrl('writer')}/metrics`)).text();
    await eventually(async () => expect(await metrics()).toMatch(/^pg2ddb_writer_commands_total\{outcome="stale"\} [5-9]/m), { timeoutMs: 60_000 });
    expect(await statuses()).not.toContain('FROZEN');

    // The runbook's step: bump the epoch for every service that makes versions; later changes win.
    // The writer first: it refuses commands of a later epoch than its own (a forged version).
    (serviceEnv.writer as Record<string, string>).PG2DDB_SOURCE_EPOCH = '1';
    await pipeline.restartService('writer');
    (serviceEnv.transformer as Record<string, string>).PG2DDB_SOURCE_EPOCH = '1';
    await pipeline.restartService('transformer');
    await pipeline.query(`UPDATE payments SET paymentstatus = 'MOVED'`);
    await eventually(async () => expect(await statuses()).toEqual(['MOVED', 'MOVED', 'MOVED', 'MOVED', 'MOVED']), { timeoutMs: 60_000 });
    for (const item of await pipeline.items()) expect((item._ver as { S: string }).S).toMatch(/^0001[0-9a-f]{33}$/);
    const after = await runReconciliation(context(1), { mode: 'full', confirmTimeoutMs: 30_000, publish: false });
    expect(after.entities[0]).toMatchObject({ versionsAhead: 0, summary: { counts: { checked: 5, matched: 5, mismatch: 0 } } });
  });
});
