import { topicNames, type DeadLetter } from '@pg2ddb/contracts';
import { consumerLag, createKafka, readTopicRange } from '@pg2ddb/kafka';
import { eventually, TestPipeline } from '@pg2ddb/testing';

// Issue 13, defect 3: a DROP COLUMN of a mapped column makes every later event of the table
// unmappable. A fetch of ~1 MB of such events became one produce of more than 1 MB of dead letters
// (each embedding its event), which the broker refused as MESSAGE_TOO_LARGE: not retriable,
// retried forever, the partition's offsets never moved. Now every event is dead-lettered, the
// stream moves on, and no batch is left retrying.
const mapping = `
table: { name: Docs, partitionKey: { name: PK, type: S } }
entities:
  - name: Doc
    source: { schema: public, table: docs }
    primaryKey: [id]
    columns: { id: integer, body: text, note: text }
    key: { pk: "DOC#{id}" }
`;

const BEFORE = 20;
const BACKLOG = 2000;
const UNDER_LOAD = 300;

describe('DROP COLUMN of a mapped column under load', () => {
  let pipeline: TestPipeline;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping,
      schemaSql: `CREATE TABLE docs (id integer PRIMARY KEY, body text NOT NULL, note text);
                  INSERT INTO docs SELECT g, repeat('b', 100), 'n' FROM generate_series(1, ${BEFORE}) g;`,
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  const metricLines = async (pattern: RegExp): Promise<string[]> =>
    (await (await fetch(`${pipeline.serviceUrl('transformer')}/metrics`)).text()).split('\n').filter((line) => pattern.test(line));

  it('dead-letters every event, moves the line on, and leaves nothing stuck', async () => {
    await eventually(async () => expect(await pipeline.items()).toHaveLength(BEFORE), { timeoutMs: 90_000 });

    // A backlog of more than 1 MB of events the mapping cannot read, fetched at once on restart.
    await pipeline.killService('transformer');
    await pipeline.query('ALTER TABLE docs DROP COLUMN note');
    await pipeline.query(`INSERT INTO docs SELECT g, repeat('x', 1000) FROM generate_series(${BEFORE + 1}, ${BEFORE + BACKLOG}) g`);
    await pipeline.startService('transformer');
    // ... and more while it works through it.
    for (let batch = 0; batch < UNDER_LOAD / 50; batch++) {
      const from = BEFORE + BACKLOG + batch * 50 + 1;
      await pipeline.query(`INSERT INTO docs SELECT g, repeat('y', 1000) FROM generate_series(${from}, ${from + 49}) g`);
    }
    const total = BACKLOG + UNDER_LOAD;

    const kafka = createKafka({ brokers: pipeline.env.PG2DDB_KAFKA_BROKERS!.split(','), clientId: `${pipeline.names.id}-test` });
    const changeTopic = `${pipeline.names.prefix}.${pipeline.names.schema}.docs`;
    await eventually(async () => expect(await consumerLag(kafka, `${pipeline.names.prefix}.transformer`, [changeTopic])).toBe(0), { timeoutMs: 150_000, intervalMs: 2000 });

    const { records } = await readTopicRange(kafka, topicNames(pipeline.names.prefix).dlq);
    const letters = records.map((record) => JSON.parse(String(record.message.value)) as DeadLetter);
    expect(letters).toHaveLength(total);
    const ids = new Set(letters.map((letter) => (JSON.parse(letter.original.key ?? 'null') as { payload: { id: number } }).payload.id));
    expect(ids.size).toBe(total);
    for (let id = BEFORE + 1; id <= BEFORE + total; id++) expect(ids.has(id)).toBe(true);
    for (const letter of letters) {
      expect(letter).toMatchObject({ stage: 'transformer', code: 'MAPPING_ROW_INCOMPLETE', original: { topic: changeTopic } });
      expect(letter.message).toBe(`entity "Doc": the change event has no column "note"; the mapping declares it but ${pipeline.names.schema}.docs does not send it`);
      expect(letter.original.truncated).toBeUndefined();
    }

    // Nothing stuck: no batch retrying, ready, and the items written before the drop untouched.
    const retries = await metricLines(/^pg2ddb_batch_consecutive_retries\{/);
    for (const line of retries) expect(line).toMatch(/ 0$/);
    expect(await metricLines(/^pg2ddb_transformer_events_total\{outcome="dead_lettered"\}/)).toEqual([`pg2ddb_transformer_events_total{outcome="dead_lettered"} ${total}`]);
    const ready = await fetch(`${pipeline.serviceUrl('transformer')}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await pipeline.items()).toHaveLength(BEFORE);
  });
});
