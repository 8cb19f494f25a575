import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { topicNames, type AttributeMap, type DeadLetter } from '@pg2ddb/contracts';
import { createKafka } from '@pg2ddb/kafka';
import { runReconciliation } from '@pg2ddb/reconcile';
import { eventually, TestPipeline, withoutVersion } from '@pg2ddb/testing';
import type { Consumer, Kafka } from 'kafkajs';
import { expandFixture as expand } from '@pg2ddb/mapping/testing';

// The type matrix through the whole real pipeline: the golden table of libs/mapping (every type
// of docs/type-mapping.md) and its edge-value rows, inserted into PostgreSQL, carried by Debezium,
// the transformer and the writer into the DynamoDB emulator. The rows, the DDL and the expected items
// are the golden fixtures (libs/mapping/src/__fixtures__/golden): capture.json lists the SQL the
// capture script ran, and the hand-written <event>.expected.json files say what each row becomes.
const GOLDEN = join(__dirname, '../../../libs/mapping/src/__fixtures__/golden');

interface Step {
  name: string;
  table: string;
  sql: string;
  events: Array<{ name: string; op: string }>;
  insert?: boolean;
}

interface Expected {
  commands?: Array<{ op: string; key: AttributeMap; item?: AttributeMap }>;
  error?: { code: string; message?: string };
}

interface Row {
  name: string;
  table: string;
  sql: string;
  /** The row's primary key, read from the captured event, to find its dead letter. */
  id: number;
  expected: Expected;
}

const manifest = JSON.parse(readFileSync(join(GOLDEN, 'capture.json'), 'utf8')) as { seed: Pick<Step, 'sql' | 'events'>; steps: Step[] };

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(join(GOLDEN, file), 'utf8')) as T;
}

function rowOf(step: Step): Row {
  const [event] = step.events;
  const captured = readJson<{ payload: { after: { id: number } } }>(`${event!.name}.event.json`);
  const expected = expand(readJson(`${event!.name}.expected.json`)) as Expected;
  return { name: step.name, table: step.table, sql: step.sql, id: captured.payload.after.id, expected };
}

const rows = manifest.steps.filter((step) => step.insert).map(rowOf);
const seed = rowOf({ ...manifest.seed, name: manifest.seed.events[0]!.name, table: 'types' });
const items = [seed, ...rows].filter((row) => row.expected.commands);
const deadLetters = rows.filter((row) => row.expected.error);

describe('type matrix: every PostgreSQL type through the real pipeline', () => {
  let pipeline: TestPipeline;
  let kafka: Kafka;
  let consumer: Consumer;
  const letters: DeadLetter[] = [];

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping: readFileSync(join(GOLDEN, 'mapping.yaml'), 'utf8'),
      // The seed row exists before the connector starts: it arrives through the snapshot.
      schemaSql: `${readFileSync(join(GOLDEN, 'schema.sql'), 'utf8')}\n${manifest.seed.sql};`,
    });
    kafka = createKafka({ brokers: pipeline.env.PG2DDB_KAFKA_BROKERS!.split(','), clientId: `${pipeline.names.id}-dlq` });
    consumer = kafka.consumer({ groupId: `${pipeline.names.id}-dlq-reader` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topicNames(pipeline.names.prefix).dlq], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.value) letters.push(JSON.parse(message.value.toString('utf8')) as DeadLetter);
      },
    });
    // One statement per row, in the capture's order: unmappable rows sit between mappable ones.
    for (const row of rows) await pipeline.query(row.sql);
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await pipeline?.stop();
  });

  function expectedItem(row: Row): AttributeMap {
    return row.expected.commands![0]!.item!;
  }

  async function expectItem(row: Row, timeoutMs = 60000): Promise<void> {
    const { key } = row.expected.commands![0]!;
    await eventually(async () => expect(withoutVersion(await pipeline.item(key))).toEqual(expectedItem(row)), { timeoutMs });
  }

  function letterFor(row: Row): DeadLetter | undefined {
    return letters.find((letter) => {
      const original = JSON.parse(letter.original.value ?? 'null') as { payload?: { source?: { table?: string }; after?: { id?: number } } } | null;
      return original?.payload?.source?.table === row.table && original?.payload?.after?.id === row.id;
    });
  }

  async function expectDeadLetter(row: Row, timeoutMs = 60000): Promise<void> {
    await eventually(
      () => {
        const letter = letterFor(row);
        expect(letter).toBeDefined();
        expect({ stage: letter!.stage, code: letter!.code }).toEqual({ stage: 'transformer', code: row.expected.error!.code });
        if (row.expected.error!.message !== undefined) expect(letter!.message).toBe(row.expected.error!.message);
      },
      { timeoutMs },
    );
  }

  it.each(items.map((row) => [row.name, row] as const))('%s: the exact item', async (_name, row) => {
    await expectItem(row);
  });

  it.each(deadLetters.map((row) => [row.name, row] as const))('%s: dead-lettered with its code and reason, not written', async (_name, row) => {
    await expectDeadLetter(row);
    // The key templates of mapping.yaml: TYPES#{id} / ROW and SHAPE#{id} / SHAPE.
    const key = row.table === 'shapes' ? { PK: { S: `SHAPE#${row.id}` }, SK: { S: 'SHAPE' } } : { PK: { S: `TYPES#${row.id}` }, SK: { S: 'ROW' } };
    expect(await pipeline.item(key)).toBeUndefined();
  });

  it('keeps going after each unmappable row: the next mappable row arrives', async () => {
    const followers = deadLetters
      .map((bad) => rows.slice(rows.indexOf(bad) + 1).find((row) => row.expected.commands))
      .filter((row): row is Row => row !== undefined);
    expect(followers.length).toBeGreaterThan(0);
    for (const row of followers) await expectItem(row);
  });

  it('the reconciler reads every row back to the item the transformer wrote: drift only where a row was dead-lettered', async () => {
    const rowsOfTypes = items.filter((row) => row.table === 'types');
    for (const row of rowsOfTypes) await expectItem(row);
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    try {
      const report = await runReconciliation(
        { pg: pipeline.pg, dynamo: pipeline.dynamo, kafka, producer, mapping: pipeline.mapping, topicPrefix: pipeline.names.prefix },
        { mode: 'full', entities: ['TypeRow'], confirmTimeoutMs: 60000, bothDirections: true },
      );
      const [entity] = report.entities;
      const drift = (entity?.drift ?? []).map((event) => ({ kind: event.kind, key: (event.key.PK as { S: string }).S, attributes: event.attributes.map((a) => a.name) }));
      // A dead-lettered row has no item: the reconciler calls it missing (or cannot map it either).
      const deadLettered = new Set(deadLetters.filter((row) => row.table === 'types').map((row) => `TYPES#${row.id}`));
      expect(drift.filter((event) => !(event.kind === 'missing' && deadLettered.has(event.key)))).toEqual([]);
      expect(entity?.summary.counts).toMatchObject({ mismatch: 0, unexpected: 0, matched: rowsOfTypes.length });
    } finally {
      await producer.disconnect();
    }
  });

  it('leaves unchanged TOASTed attributes as they are when another column is updated', async () => {
    const toast = rows.find((row) => row.name === 'toast-insert')!;
    await expectItem(toast);
    const update = manifest.steps.find((step) => step.name === 'toast-update')!;
    await pipeline.query(update.sql);
    const { key } = toast.expected.commands![0]!;
    await eventually(async () => expect(withoutVersion(await pipeline.item(key))).toEqual({ ...expectedItem(toast), c_varchar: { S: 'v2' } }));
  });
});
