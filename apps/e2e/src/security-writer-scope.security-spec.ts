import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { topicNames, type DeadLetter, type WriteCommand } from '@pg2ddb/contracts';
import { ensureTable } from '@pg2ddb/dynamo';
import { readTopicRange } from '@pg2ddb/kafka';
import { eventually, paymentKey as key, paymentPut, TestPipeline, testVersion as version, WritesInjector } from '@pg2ddb/testing';

// Someone who can produce to <prefix>.writes forges commands: one aimed at another DynamoDB table
// the writer's credentials reach, one with a version no source can produce (which would freeze the
// item: every real change would look older). The writer dead-letters both and writes the rest.
const examples = join(__dirname, '../../../examples/payments');

describe('security: the writer writes only its mapping table, with versions a source can produce', () => {
  let pipeline: TestPipeline;
  let writes: WritesInjector;
  let otherTable: string;

  const put = (table: string, id: string, ver: string, status: string): WriteCommand => paymentPut(table, id, 0, { version: ver, status });

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping: readFileSync(join(examples, 'mapping.yaml'), 'utf8'),
      schemaSql: readFileSync(join(examples, 'schema.sql'), 'utf8'),
      services: ['writer'],
    });
    otherTable = `${pipeline.names.table}-other`;
    const { ttlAttribute: _ttl, ...spec } = pipeline.mapping.table;
    await ensureTable(pipeline.dynamo, { ...spec, name: otherTable });
    writes = await WritesInjector.connect(pipeline, 'forge');
  });

  afterAll(async () => {
    await writes?.disconnect();
    await pipeline?.dynamo.send(new DeleteTableCommand({ TableName: otherTable })).catch(() => undefined);
    await pipeline?.stop();
  });

  it('dead-letters WRITER_TABLE_NOT_ALLOWED and WRITER_VERSION_OUT_OF_RANGE, writes the rest, and the item stays writable', async () => {
    const { dlq } = topicNames(pipeline.names.prefix);
    const elsewhere = put(otherTable, 'a', version(1), 'ELSEWHERE');
    const frozen = put(pipeline.names.table, 'b', 'f'.repeat(32) + '1', 'FROZEN');
    const fine = put(pipeline.names.table, 'c', version(1), 'FINE');
    await writes.send([elsewhere, frozen, fine]);
    await writes.drained();

    expect(await pipeline.item(key('c'))).toMatchObject({ PaymentStatus: { S: 'FINE' } });
    expect(await pipeline.item(key('b'))).toBeUndefined();
    expect(await pipeline.items()).toHaveLength(1);
    const other = await pipeline.dynamo.send(new ScanCommand({ TableName: otherTable }));
    expect(other.Items ?? []).toEqual([]);

    // the two commands sit on different partitions: order the letters by code
    const letters = (await readTopicRange(writes.kafka, dlq)).records
      .map((record) => JSON.parse(String(record.message.value)) as DeadLetter)
      .sort((a, b) => a.code.localeCompare(b.code));
    expect(letters.map((letter) => [letter.stage, letter.code, letter.message])).toEqual([
      ['writer', 'WRITER_TABLE_NOT_ALLOWED', `table "${otherTable}" is not this writer's table "${pipeline.names.table}" (PG2DDB_MAPPING_FILE)`],
      ['writer', 'WRITER_VERSION_OUT_OF_RANGE', `version ${'f'.repeat(32)}1 carries LSN FFFFFFFF/FFFFFFFF, beyond 10000/0 (256 TiB of WAL), which no source produces`],
    ]);
    // nothing lost: each letter holds the forged command as it was sent
    expect(letters.map((letter) => JSON.parse(letter.original.value as string))).toEqual([elsewhere, frozen]);

    // The refused version froze nothing: a real change of that item is written.
    const real = put(pipeline.names.table, 'b', version(2), 'REAL');
    await writes.send([real]);
    await eventually(async () => expect(await pipeline.item(key('b'))).toMatchObject({ PaymentStatus: { S: 'REAL' } }), { timeoutMs: 60_000 });
  });
});
