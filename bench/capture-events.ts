/**
 * Captures real Debezium change events (the exact bytes the connector writes to Kafka) for the
 * mapping benchmark, so it measures the envelope the transformer really receives rather than a
 * hand-built one. Needs the local stack (started here, idempotently); writes
 * bench/fixtures/<name>.events.json. Run: node -r @swc-node/register bench/capture-events.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { changeTopic } from '@pg2ddb/contracts';
import { createKafka } from '@pg2ddb/kafka';
import { repoRoot } from '@pg2ddb/service';
import { TestPipeline } from '@pg2ddb/testing';
import { useLocalStack } from './support/local-stack-env';
import { writeResults } from './support/results-file';

/** One captured Kafka message of a change topic. */
export interface CapturedEvent {
  table: string;
  op: string;
  /** The message key and value exactly as Kafka holds them (UTF-8 JSON text). */
  key: string | null;
  value: string;
}

/** The file the mapping benchmark reads. */
export interface CapturedEvents {
  name: string;
  note: string;
  capturedAt: string;
  debeziumVersion: string | null;
  /** Mapping file the events are meant for, relative to the repository root. */
  mappingFile: string;
  /** The Postgres schema the rows lived in (random per capture): the mapping's source schema. */
  schema: string;
  prefix: string;
  events: CapturedEvent[];
}

interface CaptureSpec {
  name: string;
  mappingFile: string;
  schemaSql: string;
  /** Statements run once the connector streams; each one commits on its own. */
  changes: string[];
  /** Change events the statements produce per source table (snapshot reads come on top). */
  changeEvents: Record<string, number>;
}

const root = repoRoot();
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

const specs: CaptureSpec[] = [
  {
    name: 'payments',
    mappingFile: 'examples/payments/mapping.yaml',
    schemaSql: `${read('examples/payments/schema.sql')}\n${read('examples/payments/seed.sql').replaceAll('{{rows}}', '3')}`,
    changes: [
      `INSERT INTO payments (customerid, loanid, paymentamount, paymentdate, paymentmethod, paymentstatus, transactionreference, createddate)
       VALUES (1042, 12007, 1234.56, '2025-03-14 09:26:53.589793+00', 'CARD', 'PENDING', 'TXN-0000001042', '2025-03-14 09:26:53.589793+00')`,
      `UPDATE payments SET paymentstatus = 'COMPLETED', processeddate = '2025-03-14 09:27:10.000001+00', updateddate = '2025-03-14 09:27:10.000001+00'
       WHERE paymentid = 2`,
      'DELETE FROM payments WHERE paymentid = 3',
    ],
    changeEvents: { payments: 3 },
  },
  {
    name: 'ecommerce',
    mappingFile: 'examples/ecommerce/mapping.yaml',
    schemaSql: `${read('examples/ecommerce/schema.sql')}\n${read('examples/ecommerce/seed.sql').replaceAll('{{rows}}', '8')}`,
    changes: [
      `INSERT INTO products (sku, name, category, price, tags, attributes, created_at, updated_at)
       VALUES ('SKU-900001', 'Wireless over-ear headphones AX-900', 'Electronics', 199.99,
         ARRAY['audio', 'wireless', 'bluetooth', 'noise-cancelling', 'over-ear'],
         '{"brand": "Acme", "model": "AX-900", "color": "black", "weight_g": 254, "dimensions_cm": {"w": 18.2, "h": 20.1, "d": 8.0},
           "battery": {"hours": 30, "fast_charge": true, "charge_minutes": 120}, "compatible": ["ios", "android", "windows", "macos"],
           "warranty_months": 24, "ratings": {"average": 4.6, "count": 1289}, "in_box": ["cable", "case", "adapter"], "ean": "4006381333931"}',
         '2025-03-14 09:00:00.000001+00', '2025-03-14 09:00:00.000001+00')`,
      `INSERT INTO users (email, name, status, preferences, created_at, updated_at)
       VALUES ('Ada.Lovelace@Example.com', 'Ada Lovelace', 'active',
         '{"language": "en-GB", "currency": "GBP", "newsletter": true, "notifications": {"email": true, "sms": false, "push": ["orders", "offers"]}, "theme": "dark"}',
         '2024-11-02 10:15:00.123456+00', '2025-03-01 08:00:00+00')`,
      `WITH o AS (
         INSERT INTO orders (user_id, order_date, status, total_amount, shipping_address, updated_at)
         VALUES (1, '2025-03-14 09:26:53.589793+00', 'pending', 379.97,
           '{"name": "Ada Lovelace", "line1": "12 St James''s Square", "line2": null, "city": "London", "postcode": "SW1Y 4JH",
             "country": "GB", "phone": "+44 20 7946 0958", "geo": {"lat": 51.5074, "lon": -0.1348}, "instructions": "Leave with concierge"}',
           '2025-03-14 09:26:53.589793+00')
         RETURNING id)
       INSERT INTO order_items (order_id, product_id, quantity, unit_price)
       SELECT o.id, p.id, 1, 199.99 FROM o, products p WHERE p.sku = 'SKU-900001'`,
      `UPDATE orders SET status = 'paid', updated_at = '2025-03-14 09:30:00.000001+00' WHERE shipping_address->>'postcode' = 'SW1Y 4JH'`,
      `UPDATE products SET price = 179.99, tags = array_append(tags, 'sale'), updated_at = '2025-03-14 09:31:00+00' WHERE sku = 'SKU-900001'`,
    ],
    changeEvents: { products: 2, users: 1, orders: 2, order_items: 1 },
  },
];

async function capture(spec: CaptureSpec): Promise<CapturedEvents> {
  const pipeline = await TestPipeline.start({ mapping: read(spec.mappingFile), schemaSql: spec.schemaSql, services: [] });
  try {
    // Each row present now arrives as one snapshot read.
    const expected: Record<string, number> = {};
    for (const [table, changes] of Object.entries(spec.changeEvents)) {
      const [row] = (await pipeline.query(`SELECT count(*)::int AS n FROM ${table}`)) as Array<{ n: number }>;
      expected[table] = (row?.n ?? 0) + changes;
    }
    for (const sql of spec.changes) await pipeline.query(sql);
    const { prefix, schema } = pipeline.names;
    const kafka = createKafka({ brokers: (pipeline.env.PG2DDB_KAFKA_BROKERS ?? '').split(','), clientId: `${prefix}-capture` });
    const topics = Object.keys(expected).map((table) => changeTopic(prefix, schema, table));
    const wanted = Object.values(expected).reduce((sum, count) => sum + count, 0);
    await waitForMessages(kafka, topics, wanted);

    const events: CapturedEvent[] = [];
    const consumer = kafka.consumer({ groupId: `${prefix}.capture` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics, fromBeginning: true });
      const done = new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ topic, message }) => {
            const value = message.value?.toString('utf8');
            if (!value) return;
            const op = (JSON.parse(value) as { payload?: { op?: string } }).payload?.op ?? '?';
            events.push({ table: topic.slice(topic.lastIndexOf('.') + 1), op, key: message.key?.toString('utf8') ?? null, value });
            if (events.length >= wanted) resolve();
          },
        });
      });
      await withTimeout(done, 60000, `${spec.name}: fewer than ${wanted} events arrived`);
    } finally {
      await consumer.disconnect();
    }
    return {
      name: spec.name,
      note: `real connector output; at most ${KEEP_PER_KIND} events per table and operation are kept`,
      capturedAt: new Date().toISOString(),
      debeziumVersion: await debeziumVersion(pipeline.env.PG2DDB_CONNECT_URL),
      mappingFile: spec.mappingFile,
      schema,
      prefix,
      events: keepFew(events),
    };
  } finally {
    await pipeline.stop();
  }
}

const KEEP_PER_KIND = 3;

/** A few events of each table and operation are plenty for the benchmark and keep the file small. */
function keepFew(events: CapturedEvent[]): CapturedEvent[] {
  const seen = new Map<string, number>();
  return events.filter((event) => {
    const kind = `${event.table}:${event.op}`;
    seen.set(kind, (seen.get(kind) ?? 0) + 1);
    return (seen.get(kind) as number) <= KEEP_PER_KIND;
  });
}

async function waitForMessages(kafka: ReturnType<typeof createKafka>, topics: string[], wanted: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + 120000;
    for (;;) {
      const existing = new Set(await admin.listTopics());
      let count = 0;
      for (const topic of topics.filter((name) => existing.has(name))) {
        for (const partition of await admin.fetchTopicOffsets(topic)) count += Number(partition.high) - Number(partition.low);
      }
      if (count >= wanted) return;
      if (Date.now() > deadline) throw new Error(`only ${count} of ${wanted} change events reached ${topics.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await admin.disconnect();
  }
}

async function debeziumVersion(connectUrl: string | undefined): Promise<string | null> {
  if (!connectUrl) return null;
  try {
    const plugins = (await (await fetch(`${connectUrl}/connector-plugins`)).json()) as Array<{ class: string; version: string }>;
    return plugins.find((plugin) => plugin.class.endsWith('PostgresConnector'))?.version ?? null;
  } catch {
    return null;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main(): Promise<void> {
  useLocalStack();
  for (const spec of specs) {
    const captured = await capture(spec);
    const path = join(root, 'bench/fixtures', `${spec.name}.events.json`);
    writeResults(path, captured);
    const ops = captured.events.map((event) => `${event.table}:${event.op}`).join(' ');
    process.stdout.write(`captured ${captured.events.length} ${spec.name} events (Debezium ${captured.debeziumVersion}) → ${path}: ${ops}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`capture failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
