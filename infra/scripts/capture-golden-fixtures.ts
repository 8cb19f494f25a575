/**
 * Captures the golden fixtures of libs/mapping from the real Debezium PostgreSQL connector.
 *
 *   bash infra/local/stack.sh start                      # the shared local stack (idempotent)
 *   node -r @swc-node/register infra/scripts/capture-golden-fixtures.ts
 *
 * What it does, against the running local stack (settings from `.stack/stack.env`):
 * 1. creates a random Postgres schema with the golden DDL (`schema.sql` beside the fixtures: one
 *    column per type of docs/type-mapping.md) and one seed row, which reaches Kafka through the
 *    initial snapshot;
 * 2. registers a connector with the shipped `infra/debezium/postgres-connector.json` (random
 *    topic prefix, its own slot and publication), exactly as `pg2ddb connector apply` would;
 * 3. runs the steps below one by one — an insert per edge-value theme, an UPDATE, a DELETE, a
 *    primary-key change, an update that leaves TOASTed columns unchanged (REPLICA IDENTITY
 *    DEFAULT) and a TRUNCATE — and after each waits for its change events and checks their ops
 *    (the shipped configuration sets `skipped.operations=none`, so a truncate produces an event);
 * 4. writes every event's Kafka message value verbatim (the JsonConverter's text, not re-encoded)
 *    to `libs/mapping/src/__fixtures__/golden/<event>.event.json`, and `capture.json` (versions,
 *    schema, the SQL of every step and the events it produced);
 * 5. cleans up: deletes the connector, drops its slot, publication and schema, deletes the topics.
 *
 * The fixtures are committed; run this again after changing the steps, the DDL, the connector
 * configuration or the Debezium version. The `<event>.expected.json` files beside them are written
 * by hand from docs/type-mapping.md (they are the specification) and are never touched here; a
 * new step needs a new expected file, and a changed event may need its expected file reviewed.
 * `libs/mapping/src/apply/golden.spec.ts` runs the mapping over the events; the end-to-end test
 * `apps/e2e/src/type-matrix.e2e-spec.ts` replays the insert steps through the whole pipeline.
 *
 * A step that does not produce the events it names (the connector skipping an operation, an
 * extra event) fails the capture with what arrived instead, and nothing is written.
 *
 * The DDL creates the hstore and citext extensions inside the capture's schema (they go with it),
 * and PostgreSQL allows one copy of an extension per database: do not run this at the same moment
 * as apps/e2e/src/type-matrix.e2e-spec.ts, which uses the same DDL.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ConnectClient, applyPostgresConnector, connectorName, createKafka, defaultSlotName, ensureTopics } from '@pg2ddb/kafka';
import { createPgPool, dropPublication, dropReplicationSlot, quoteIdent } from '@pg2ddb/postgres';
import { repoRoot } from '@pg2ddb/service';
import { randomId, readStackEnv, type StackEnv } from '@pg2ddb/testing';
import type { Consumer, Kafka } from 'kafkajs';
import type { Pool } from 'pg';

/**
 * The golden DDL (libs/mapping/src/__fixtures__/golden/schema.sql, the one copy, which the e2e type
 * matrix runs too); it runs with `search_path` set to the capture's own schema.
 */
const SCHEMA_SQL = join(repoRoot(), 'libs/mapping/src/__fixtures__/golden/schema.sql');

/** The row that exists before the connector starts: it arrives as a snapshot read (op r). */
const SEED = `INSERT INTO types (id, c_integer, c_text, c_mood, c_tstz) VALUES (1, 1, 'seeded before the connector started', 'ok', '2024-01-01 00:00:00+00')`;

type Op = 'c' | 'u' | 'd' | 't';

/** One statement (its own transaction) and what it must produce on its table's topic. */
interface CaptureStep {
  name: string;
  table: 'types' | 'shapes';
  sql: string;
  /** The change events it must produce, in order: fixture name and Debezium op. */
  events: Array<{ name: string; op: Op }>;
  /** An edge-value row the e2e type matrix replays through the whole pipeline. */
  insert?: boolean;
  /** Connector settings applied on top of the shipped configuration before this step. */
  connectorOverrides?: Record<string, string>;
}

const insert = (name: string, sql: string): CaptureStep => ({ name, table: 'types', sql, events: [{ name, op: 'c' }], insert: true });
const change = (name: string, table: CaptureStep['table'], sql: string, ...events: Array<[string, Op]>): CaptureStep => ({
  name,
  table,
  sql,
  events: events.map(([event, op]) => ({ name: event, op })),
});

const STEPS: CaptureStep[] = [
  insert('integers-min', `INSERT INTO types (id, c_smallint, c_integer, c_bigint, c_oid) VALUES (10, -32768, -2147483648, -9223372036854775808, 0)`),
  insert('integers-max', `INSERT INTO types (id, c_smallint, c_integer, c_bigint, c_oid) VALUES (11, 32767, 2147483647, 9223372036854775807, 4294967295)`),
  insert(
    'numeric-38-digits',
    `INSERT INTO types (id, c_numeric, c_numeric_12_2, c_money, c_numeric_array) VALUES (20, '12345678901234567890.123456789012345678', '1234.50', '-1234.56', '{1.50,-0.001,NULL}')`,
  ),
  insert('numeric-negative-zero', `INSERT INTO types (id, c_numeric, c_numeric_12_2) VALUES (21, '-0.000', '-0')`),
  insert('numeric-tiny-exponent', `INSERT INTO types (id, c_numeric, c_numeric_12_2) VALUES (22, '1e-130', '-0.01')`),
  insert('numeric-huge-exponent', `INSERT INTO types (id, c_numeric) VALUES (23, '9.9999999999999999999999999999999999999e125')`),
  insert('numeric-39-digits', `INSERT INTO types (id, c_numeric) VALUES (24, '123456789012345678901234567890123456789')`),
  insert('numeric-exponent-too-large', `INSERT INTO types (id, c_numeric) VALUES (25, '1e126')`),
  insert('numeric-exponent-too-small', `INSERT INTO types (id, c_numeric) VALUES (26, '1e-131')`),
  insert('numeric-nan', `INSERT INTO types (id, c_numeric) VALUES (27, 'NaN')`),
  insert('numeric-infinity', `INSERT INTO types (id, c_numeric) VALUES (28, 'Infinity')`),
  insert('numeric-negative-infinity', `INSERT INTO types (id, c_numeric) VALUES (29, '-Infinity')`),
  insert('floats', `INSERT INTO types (id, c_real, c_double) VALUES (30, '3.14', '0.30000000000000004')`),
  insert('float-extremes', `INSERT INTO types (id, c_real, c_double) VALUES (31, '3.4028235e38', '-1e125')`),
  insert('float-negative-zero', `INSERT INTO types (id, c_real, c_double) VALUES (36, '-0', '-0')`),
  insert('double-nan', `INSERT INTO types (id, c_double) VALUES (32, 'NaN')`),
  insert('double-infinity', `INSERT INTO types (id, c_double) VALUES (33, 'Infinity')`),
  insert('real-negative-infinity', `INSERT INTO types (id, c_real) VALUES (34, '-Infinity')`),
  insert('double-out-of-range', `INSERT INTO types (id, c_double) VALUES (35, '1e300')`),
  insert(
    'text-unicode',
    `INSERT INTO types (id, c_boolean, c_text, c_varchar, c_char, c_citext) VALUES (40, true, '😀 𝄞 astral, ü BMP, "quotes" \\ backslash', 'varchar 😀', 'ab', 'MiXeD Case')`,
  ),
  insert(
    'empty-values',
    `INSERT INTO types (id, c_boolean, c_text, c_varchar, c_char, c_citext, c_bytea, c_json, c_jsonb, c_hstore, c_int_array, c_text_array) VALUES (41, false, '', '', '', '', ''::bytea, '{}', '[]', '', '{}', '{}')`,
  ),
  insert(
    'identifiers-binary',
    `INSERT INTO types (id, c_inet, c_uuid, c_mood, c_bytea) VALUES (42, '192.168.0.1/24', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'sad', '\\x00ff7f80')`,
  ),
  insert(
    'temporal',
    `INSERT INTO types (id, c_mood, c_date, c_time, c_timetz, c_ts0, c_ts1, c_ts2, c_ts3, c_ts4, c_ts5, c_ts6, c_tstz, c_interval) VALUES (50, 'happy', '2024-02-29', '13:14:15.123456', '13:14:15.123456+05:30', '2024-02-29 12:34:56.123456', '2024-02-29 12:34:56.123456', '2024-02-29 12:34:56.123456', '2024-02-29 12:34:56.123456', '2024-02-29 12:34:56.123456', '2024-02-29 12:34:56.123456', '2024-02-29 12:34:56.123456', '2024-02-29 12:34:56.123456+05:30', '1 year 2 months 3 days 04:05:06.78')`,
  ),
  insert(
    'temporal-pre-1970',
    `INSERT INTO types (id, c_mood, c_date, c_time, c_timetz, c_ts0, c_ts3, c_ts6, c_tstz, c_interval) VALUES (51, 'ok', '1969-12-31', '00:00:00', '00:00:00-08', '1969-12-31 23:59:59', '1969-12-31 23:59:59.999', '1900-01-01 00:00:00.000001', '1969-12-31 23:59:59.999999+00', '-1 years -2 mons +3 days -04:05:06.5')`,
  ),
  insert(
    'temporal-bc',
    `INSERT INTO types (id, c_date, c_ts6, c_tstz) VALUES (52, '0044-03-15 BC', '0001-01-01 00:00:00 BC', '0001-12-31 23:59:59.999999+00 BC')`,
  ),
  insert(
    'temporal-far-future',
    `INSERT INTO types (id, c_date, c_time, c_ts3, c_tstz, c_interval) VALUES (53, '5874897-12-31', '24:00:00', '10000-01-01 00:00:00', '294276-12-31 23:59:59.999999+00', '178000000 years')`,
  ),
  // The largest timestamp a MicroTimestamp (int64 µs since 1970) can hold: exactly 2^63 - 1 µs.
  insert('timestamp-micro-max', `INSERT INTO types (id, c_ts6) VALUES (56, '294247-01-10 04:00:54.775807')`),
  // Postgres's largest timestamp is beyond int64 µs since 1970.
  insert('timestamp-micro-overflow', `INSERT INTO types (id, c_ts6) VALUES (57, '294276-12-31 23:59:59.999999')`),
  insert('temporal-infinity', `INSERT INTO types (id, c_date, c_ts6, c_tstz) VALUES (54, 'infinity', 'infinity', 'infinity')`),
  insert('temporal-minus-infinity', `INSERT INTO types (id, c_date, c_ts6, c_tstz) VALUES (55, '-infinity', '-infinity', '-infinity')`),
  // timestamp(0-3) arrives in milliseconds (io.debezium.time.Timestamp), so its infinity sentinels differ.
  insert('timestamp-ms-infinity', `INSERT INTO types (id, c_ts0, c_ts3) VALUES (58, 'infinity', '-infinity')`),
  insert(
    'json',
    `INSERT INTO types (id, c_json, c_jsonb, c_hstore) VALUES (60, '{"b": 1,  "a": "first", "a": [1, 2.50, -0, 1e2, 12345678901234567890123]}', '{"nested": {"deep": {"empty": [], "none": null}}, "big": 12345678901234567890123, "scaled": 2.50, "exp": 1e2, "negzero": -0, "flags": [true, false], "s": "😀"}', '"a"=>"1", "b"=>NULL, "c d"=>"😀"')`,
  ),
  insert('jsonb-39-digits', `INSERT INTO types (id, c_jsonb) VALUES (61, '{"n": [1, 123456789012345678901234567890123456789]}')`),
  insert(
    'arrays',
    `INSERT INTO types (id, c_int_array, c_text_array, c_numeric_array) VALUES (70, '{1,NULL,-3}', '{"a","b c","",NULL,"😀"}', '{1e-3,100.0,-0}')`,
  ),
  insert(
    'ranges',
    `INSERT INTO types (id, c_int4range, c_int8range, c_numrange, c_daterange, c_tsrange, c_tstzrange) VALUES (100, '[1,10)', '(0,9223372036854775806]', '(1.50,2.0]', '[2024-01-01,2024-02-01]', '["2024-02-29 12:34:56.123456","2024-03-01 00:00:00")', '["2024-02-29 12:34:56.5+05:30","2024-03-01 00:00:00+00")')`,
  ),
  insert(
    'ranges-unbounded-empty',
    `INSERT INTO types (id, c_int4range, c_int8range, c_numrange, c_daterange, c_tsrange, c_tstzrange) VALUES (101, 'empty', '(,)', '(,5)', '[2024-01-01,infinity)', '(,"2024-01-01 00:00:00")', '[-infinity,"2024-06-01 00:00:00-07")')`,
  ),
  insert('bits', `INSERT INTO types (id, c_bit1, c_bit12) VALUES (102, B'1', B'000000010110')`),
  insert('bits-zero', `INSERT INTO types (id, c_bit1, c_bit12) VALUES (103, B'0', B'000000000000')`),
  // varbit is refused (not in mapping.yaml): the event shows why, its leading zeros are gone.
  insert('varbit', `INSERT INTO types (id, c_varbit) VALUES (104, B'0011')`),
  insert(
    'text-forms',
    `INSERT INTO types (id, c_macaddr8, c_ltree, c_tsvector) VALUES (105, '08:00:2b:01:02:03:04:05', 'Top.Science.Astronomy', 'a fat cat sat on a mat and ate a fat rat')`,
  ),
  insert('arrays-multi', `INSERT INTO types (id, c_int_matrix) VALUES (106, '{{1,2},{3,NULL}}')`),
  insert('all-null', `INSERT INTO types (id) VALUES (80)`),
  insert(
    'toast-insert',
    `INSERT INTO types (id, c_varchar, c_text, c_jsonb, c_bytea, c_int_array, c_text_array) VALUES (90, 'v1', repeat('ab', 2500), jsonb_build_object('blob', repeat('j', 5000)), decode(repeat('ab', 4000), 'hex'), array_fill(7, ARRAY[2000]), array_fill('t'::text, ARRAY[1500]))`,
  ),
  change('toast-update', 'types', `UPDATE types SET c_varchar = 'v2' WHERE id = 90`, ['toast-update', 'u']),
  change('update', 'types', `UPDATE types SET c_text = 'updated', c_integer = NULL WHERE id = 11`, ['update', 'u']),
  change('delete', 'types', `DELETE FROM types WHERE id = 10`, ['delete', 'd']),
  // Debezium turns a primary key change into a delete of the old key and a create of the new one.
  change('pk-change', 'types', `UPDATE types SET id = 112 WHERE id = 11`, ['pk-change-delete', 'd'], ['pk-change-create', 'c']),
  { ...change('point', 'shapes', `INSERT INTO shapes (id, c_point) VALUES (1, point(1.5, -2))`, ['point', 'c']), insert: true },
  change('truncate', 'types', `TRUNCATE types`, ['truncate', 't']),
];

const FIXTURES = join(repoRoot(), 'libs/mapping/src/__fixtures__/golden');
const EVENT_TIMEOUT_MS = 30000;
// After the last event of a step, how long to wait for unexpected extra events.
const QUIET_MS = 1500;

function say(message: string): void {
  process.stdout.write(`[capture] ${message}\n`);
}

function must(env: StackEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`.stack/stack.env has no ${name}; start the stack first: bash infra/local/stack.sh start`);
  return value;
}

/** The change events of one topic, in arrival (= commit) order. */
class TopicRecorder {
  readonly values = new Map<string, string[]>();
  private waiters: Array<() => void> = [];

  record(topic: string, value: string): void {
    const list = this.values.get(topic) ?? [];
    list.push(value);
    this.values.set(topic, list);
    for (const wake of this.waiters.splice(0)) wake();
  }

  count(topic: string): number {
    return this.values.get(topic)?.length ?? 0;
  }

  /** Resolves once `topic` holds `count` events; rejects with what arrived on timeout. */
  async waitFor(topic: string, count: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.count(topic) < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} events on ${topic} after ${timeoutMs} ms, got ${this.count(topic)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

interface EventSummary {
  payload?: { op?: string; before?: { id?: unknown } | null; after?: { id?: unknown } | null };
}

function eventOp(value: string): string | undefined {
  return (JSON.parse(value) as EventSummary).payload?.op;
}

function describeEvent(value: string): string {
  const payload = (JSON.parse(value) as EventSummary).payload;
  return `op ${payload?.op} id ${JSON.stringify(payload?.after?.id ?? payload?.before?.id ?? null)}`;
}

async function capture(): Promise<void> {
  const started = Date.now();
  const env = readStackEnv();
  const id = randomId('golden');
  const schema = id;
  const prefix = id;
  const topic = (table: string) => `${prefix}.${schema}.${table}`;
  const connection = {
    host: must(env, 'PG2DDB_PG_HOST'),
    port: Number(must(env, 'PG2DDB_PG_PORT')),
    user: must(env, 'PG2DDB_PG_USER'),
    password: env.PG2DDB_PG_PASSWORD ?? '',
    database: must(env, 'PG2DDB_PG_DATABASE'),
  };
  const pg: Pool = createPgPool(connection, { max: 1, options: `-c search_path=${schema} -c TimeZone=UTC` });
  const kafka: Kafka = createKafka({ brokers: must(env, 'PG2DDB_KAFKA_BROKERS').split(','), clientId: `capture-${id}` });
  const connect = new ConnectClient(must(env, 'PG2DDB_CONNECT_URL'));
  const recorder = new TopicRecorder();
  let consumer: Consumer | undefined;
  let failure: unknown;
  try {
    const { rows } = await pg.query<{ version: string }>('SELECT version()');
    await pg.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
    await pg.query(readFileSync(SCHEMA_SQL, 'utf8'));
    await pg.query(SEED);
    say(`schema ${schema} created with the golden DDL and the seed row`);

    // Created up front (one partition, as the connector would) so the consumer can subscribe now.
    await ensureTopics(kafka, [topic('types'), topic('shapes')]);
    const applied = await applyPostgresConnector({
      connectUrl: must(env, 'PG2DDB_CONNECT_URL'),
      templatePath: join(repoRoot(), 'infra/debezium/postgres-connector.json'),
      settings: {
        topicPrefix: prefix,
        database: { host: connection.host, port: connection.port, user: connection.user, password: connection.password, dbname: connection.database },
        tables: [`${schema}.types`, `${schema}.shapes`],
      },
      // a throwaway connector on the local stack, as its owner role
      allowPlaintextSecret: true,
    });
    say(`connector ${applied.connector.name} RUNNING`);

    consumer = kafka.consumer({ groupId: `capture-${id}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic('types'), topic('shapes')], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic: from, message }) => {
        if (message.value && message.value.length > 0) recorder.record(from, message.value.toString('utf8'));
      },
    });

    const named = new Map<string, string>();
    await recorder.waitFor(topic('types'), 1, 60000);
    named.set('snapshot-read', recorder.values.get(topic('types'))![0]!);
    say(`snapshot-read: ${describeEvent(named.get('snapshot-read')!)}`);

    for (const step of STEPS) {
      if (step.connectorOverrides) {
        const connector = { ...applied.connector, config: { ...applied.connector.config, ...step.connectorOverrides } };
        await connect.apply(connector);
        await connect.waitUntilRunning(connector.name);
        // The task restarts; let anything it re-delivers arrive before counting this step's events.
        await new Promise((resolve) => setTimeout(resolve, 5000));
        say(`connector reconfigured with ${JSON.stringify(step.connectorOverrides)}`);
      }
      const before = recorder.count(topic(step.table));
      await pg.query(step.sql);
      try {
        await recorder.waitFor(topic(step.table), before + step.events.length, EVENT_TIMEOUT_MS);
      } catch (error) {
        throw new Error(`step "${step.name}" (${step.sql}) produced ${recorder.count(topic(step.table)) - before} of ${step.events.length} events: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      const got = (recorder.values.get(topic(step.table)) ?? []).slice(before);
      const ops = got.map((value) => eventOp(value));
      const wanted = step.events.map((event) => event.op);
      if (ops.join() !== wanted.join()) {
        throw new Error(`step "${step.name}" (${step.sql}) produced [${got.map(describeEvent).join('; ')}], expected ops [${wanted.join(', ')}]`);
      }
      step.events.forEach((event, index) => named.set(event.name, got[index]!));
      say(`${step.name}: ${got.length === 0 ? 'no event' : got.map(describeEvent).join('; ')}`);
    }

    const firstPayload = JSON.parse(named.get('snapshot-read')!) as { payload: { source: { version: string; connector: string } } };
    mkdirSync(FIXTURES, { recursive: true });
    for (const file of readdirSync(FIXTURES)) if (file.endsWith('.event.json')) rmSync(join(FIXTURES, file));
    for (const [name, value] of named) writeFileSync(join(FIXTURES, `${name}.event.json`), value);
    const manifest = {
      about: 'Written by infra/scripts/capture-golden-fixtures.ts; do not edit. The *.event.json files are Kafka message values, verbatim.',
      capturedAt: new Date().toISOString(),
      debezium: firstPayload.payload.source.version,
      postgres: rows[0]?.version,
      connectorConfig: 'infra/debezium/postgres-connector.json',
      schema,
      topicPrefix: prefix,
      ddl: 'schema.sql',
      seed: { sql: SEED, events: [{ name: 'snapshot-read', op: 'r' }] },
      steps: STEPS,
    };
    writeFileSync(join(FIXTURES, 'capture.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    say(`${named.size} events written to ${FIXTURES} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  } catch (error) {
    failure = error;
  } finally {
    await consumer?.disconnect().catch(() => undefined);
    await connect.delete(connectorName(prefix)).catch(() => false);
    const slot = defaultSlotName(prefix);
    await dropReplicationSlot(pg, slot).catch((error: Error) => say(`could not drop slot ${slot}: ${error.message}`));
    await dropPublication(pg, slot).catch((error: Error) => say(`could not drop publication ${slot}: ${error.message}`));
    await pg.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`).catch((error: Error) => say(`could not drop schema ${schema}: ${error.message}`));
    await pg.end();
    const admin = kafka.admin();
    await admin
      .connect()
      .then(async () => {
        const topics = (await admin.listTopics()).filter((name) => name.startsWith(`${prefix}.`) || name === `__debezium-heartbeat.${prefix}`);
        if (topics.length > 0) await admin.deleteTopics({ topics });
      })
      .catch((error: Error) => say(`could not delete the capture's topics: ${error.message}`))
      .finally(() => admin.disconnect());
    say(`cleaned up connector, slot, publication, schema and topics of ${id}`);
  }
  if (failure) throw failure;
}

capture().catch((error: unknown) => {
  process.stderr.write(`[capture] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
