import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { topicNames, type AttributeMap, type DeadLetter, type WriteCommand } from '@pg2ddb/contracts';
import { toSdkItem } from '@pg2ddb/dynamo';
import { DeadLetterCollector, eventually, TestPipeline } from '@pg2ddb/testing';

// The writer's view of what is already in DynamoDB, through the whole pipeline (Postgres →
// Debezium → transformer → writer): an item written by another tool (no `_ver`) is still an item
// a delete must remove, and an update that carries unchanged TOAST values (Debezium sends only a
// placeholder for them) must not invent a partial item where none exists.
const MAPPING = `
version: 1
table:
  name: Docs
  partitionKey: { name: PK, type: S }
  sortKey: { name: SK, type: S }
entities:
  - name: Doc
    source: { schema: public, table: docs }
    primaryKey: [id]
    columns: { id: bigint, title: text, body: text }
    key: { pk: "DOC#{id}", sk: DOC }
`;
// body is stored out of line, uncompressed (STORAGE EXTERNAL): an UPDATE of title alone leaves it
// unchanged in the WAL, and with REPLICA IDENTITY DEFAULT Debezium sends its placeholder.
const SCHEMA = `
CREATE TABLE docs (id bigint PRIMARY KEY, title text NOT NULL, body text NOT NULL);
ALTER TABLE docs ALTER COLUMN body SET STORAGE EXTERNAL;
`;
const BODY = 'b'.repeat(6000);
const key = (id: number): AttributeMap => ({ PK: { S: `DOC#${id}` }, SK: { S: 'DOC' } });

describe('writer: items it did not write, and partial updates, on the real stack', () => {
  let pipeline: TestPipeline;
  let dlq: DeadLetterCollector;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({ mapping: MAPPING, schemaSql: SCHEMA });
    dlq = await DeadLetterCollector.start(pipeline);
  });

  afterAll(async () => {
    await dlq?.stop();
    await pipeline?.stop();
  });

  it('deletes an item that has no _ver (loaded by another tool) when its row is deleted', async () => {
    await pipeline.query(`INSERT INTO docs VALUES (1, 'one', 'short'), (2, 'two', 'short')`);
    await eventually(async () => expect(await pipeline.item(key(2))).toMatchObject({ title: { S: 'two' } }), { timeoutMs: 60_000 });
    // Another tool (a bulk loader, a hand fix) rewrites item 1 without pg2ddb's version stamp.
    await pipeline.dynamo.send(new PutItemCommand({ TableName: pipeline.names.table, Item: toSdkItem({ ...key(1), title: { S: 'loaded elsewhere' } }) }));
    await pipeline.query(`DELETE FROM docs WHERE id IN (1, 2)`);
    await eventually(async () => expect(await pipeline.item(key(2))).toBeUndefined(), { timeoutMs: 60_000 });
    // Both deletes went through the same batch path; the unversioned item is gone too.
    await eventually(async () => expect(await pipeline.item(key(1))).toBeUndefined(), { timeoutMs: 10_000 });
  });

  it('dead-letters a partial (TOAST) update of a missing item instead of creating a partial item, and applies one to an existing item', async () => {
    await pipeline.query(`INSERT INTO docs VALUES (10, 'ten', $1), (11, 'eleven', $1)`, [BODY]);
    await eventually(async () => expect(await pipeline.item(key(11))).toMatchObject({ body: { S: BODY } }), { timeoutMs: 60_000 });
    await eventually(async () => expect(await pipeline.item(key(10))).toMatchObject({ body: { S: BODY } }), { timeoutMs: 10_000 });
    // Item 10 goes missing behind the pipeline's back (as when its insert sits in the DLQ).
    await pipeline.dynamo.send(new DeleteItemCommand({ TableName: pipeline.names.table, Key: toSdkItem(key(10)) }));
    await pipeline.query(`UPDATE docs SET title = 'ten, renamed' WHERE id = 10`);
    await pipeline.query(`UPDATE docs SET title = 'eleven, renamed' WHERE id = 11`);

    // The existing item takes the partial update and keeps the body Debezium did not send.
    await eventually(async () => expect(await pipeline.item(key(11))).toMatchObject({ title: { S: 'eleven, renamed' }, body: { S: BODY } }), {
      timeoutMs: 60_000,
    });
    await eventually(async () => expect(dlq.letters.length).toBeGreaterThanOrEqual(1), { timeoutMs: 30_000 });
    expect(dlq.letters).toHaveLength(1);
    const [letter] = dlq.letters as [DeadLetter];
    expect(letter).toMatchObject({ stage: 'writer', code: 'DYNAMO_ITEM_MISSING', original: { topic: topicNames(pipeline.names.prefix).writes } });
    expect(letter.message).toMatch(/^Partial update of an item that does not exist/);
    const command = JSON.parse(letter.original.value as string) as WriteCommand;
    expect(command).toMatchObject({ op: 'update', partial: true, key: key(10), set: { title: { S: 'ten, renamed' } } });
    expect(await pipeline.item(key(10))).toBeUndefined();

    // The line goes on: the next whole-row change of the same row rebuilds its item.
    await pipeline.query(`UPDATE docs SET title = 'ten, again', body = body || 'x' WHERE id = 10`);
    await eventually(async () => expect(await pipeline.item(key(10))).toMatchObject({ title: { S: 'ten, again' }, body: { S: `${BODY}x` } }), {
      timeoutMs: 60_000,
    });
  });
});
