import type { Pool } from 'pg';

/** Counts of what the workload did. */
export interface WorkloadCounts {
  inserts: number;
  updates: number;
  deletes: number;
  keyChanges: number;
  /** Statements that failed (e.g. while PostgreSQL restarted): rolled back, nothing to sync. */
  failures: number;
}

type Step = (pg: Pool, schema: string, random: () => number) => Promise<keyof Omit<WorkloadCounts, 'failures'>>;

const pick = <T>(random: () => number, values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;

// Each step is one transaction on rows chosen at random among those that exist; a step that finds
// no row does nothing harmful. Key changes move an item to another partition key (payments:
// customerid; orders: user_id; order items: order_id), which the pipeline turns into delete + put.
const PAYMENT_STEPS: Step[] = [
  async (pg, s, r) => {
    await pg.query(
      `INSERT INTO "${s}".payments (customerid, loanid, paymentamount, paymentdate, paymentmethod, paymentstatus, transactionreference)
       VALUES ($1, $2, $3, now() - random() * interval '300 days', $4, 'PENDING', 'TXN-CHAOS')`,
      [1 + Math.floor(r() * 2000), 10000 + Math.floor(r() * 5000), (10 + r() * 5000).toFixed(2), pick(r, ['ACH', 'CARD', 'WIRE', 'CHECK'])],
    );
    return 'inserts';
  },
  async (pg, s, r) => {
    await pg.query(
      `UPDATE "${s}".payments SET paymentstatus = $1, paymentamount = paymentamount + 1, updateddate = now()
       WHERE paymentid = (SELECT paymentid FROM "${s}".payments ORDER BY random() LIMIT 1)`,
      [pick(r, ['COMPLETED', 'FAILED', 'REFUNDED', 'PENDING'])],
    );
    return 'updates';
  },
  async (pg, s) => {
    await pg.query(`DELETE FROM "${s}".payments WHERE paymentid = (SELECT paymentid FROM "${s}".payments ORDER BY random() LIMIT 1)`);
    return 'deletes';
  },
  async (pg, s, r) => {
    await pg.query(`UPDATE "${s}".payments SET customerid = $1 WHERE paymentid = (SELECT paymentid FROM "${s}".payments ORDER BY random() LIMIT 1)`, [
      1 + Math.floor(r() * 2000),
    ]);
    return 'keyChanges';
  },
];

const ECOMMERCE_STEPS: Step[] = [
  async (pg, s, r) => {
    const id = 1_000_000 + Math.floor(r() * 1_000_000_000);
    await pg.query(`INSERT INTO "${s}".users (id, email, name) VALUES ($1, $2, 'Chaos User') ON CONFLICT DO NOTHING`, [id, `chaos${id}@example.com`]);
    return 'inserts';
  },
  async (pg, s, r) => {
    await pg.query(`UPDATE "${s}".users SET name = $1, status = $2, updated_at = now() WHERE id = (SELECT id FROM "${s}".users ORDER BY random() LIMIT 1)`, [
      `Name ${Math.floor(r() * 1e6)}`,
      pick(r, ['active', 'suspended', 'closed']),
    ]);
    return 'updates';
  },
  async (pg, s, r) => {
    // A new order with two lines, in one transaction.
    const client = await pg.connect();
    try {
      await client.query('BEGIN');
      const order = await client.query<{ id: string }>(
        `INSERT INTO "${s}".orders (user_id, status, total_amount) SELECT id, 'pending', 0 FROM "${s}".users ORDER BY random() LIMIT 1 RETURNING id`,
      );
      const orderId = order.rows[0]?.id;
      if (orderId !== undefined) {
        await client.query(
          `INSERT INTO "${s}".order_items (order_id, product_id, quantity, unit_price) SELECT $1, id, $2, price FROM "${s}".products ORDER BY random() LIMIT 2`,
          [orderId, 1 + Math.floor(r() * 5)],
        );
        await client.query(`UPDATE "${s}".orders SET total_amount = (SELECT coalesce(sum(quantity * unit_price), 0) FROM "${s}".order_items WHERE order_id = $1) WHERE id = $1`, [orderId]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    return 'inserts';
  },
  async (pg, s, r) => {
    await pg.query(`UPDATE "${s}".orders SET status = $1, updated_at = now() WHERE id = (SELECT id FROM "${s}".orders ORDER BY random() LIMIT 1)`, [
      pick(r, ['paid', 'shipped', 'delivered', 'cancelled']),
    ]);
    return 'updates';
  },
  async (pg, s, r) => {
    await pg.query(`UPDATE "${s}".order_items SET quantity = $1 WHERE id = (SELECT id FROM "${s}".order_items ORDER BY random() LIMIT 1)`, [1 + Math.floor(r() * 9)]);
    return 'updates';
  },
  async (pg, s) => {
    // Deletes the order and, by cascade, its lines: one transaction, several items.
    await pg.query(`DELETE FROM "${s}".orders WHERE id = (SELECT id FROM "${s}".orders ORDER BY random() LIMIT 1)`);
    return 'deletes';
  },
  async (pg, s) => {
    await pg.query(`UPDATE "${s}".orders SET user_id = (SELECT id FROM "${s}".users ORDER BY random() LIMIT 1) WHERE id = (SELECT id FROM "${s}".orders ORDER BY random() LIMIT 1)`);
    return 'keyChanges';
  },
  async (pg, s) => {
    await pg.query(
      `UPDATE "${s}".order_items SET order_id = (SELECT id FROM "${s}".orders ORDER BY random() LIMIT 1) WHERE id = (SELECT id FROM "${s}".order_items ORDER BY random() LIMIT 1)`,
    );
    return 'keyChanges';
  },
  async (pg, s, r) => {
    await pg.query(`UPDATE "${s}".products SET price = $1, updated_at = now() WHERE id = (SELECT id FROM "${s}".products ORDER BY random() LIMIT 1)`, [
      (1 + r() * 500).toFixed(2),
    ]);
    return 'updates';
  },
];

/** The steps for an example's schema. */
export function workloadSteps(example: 'payments' | 'ecommerce'): Step[] {
  return example === 'payments' ? PAYMENT_STEPS : ECOMMERCE_STEPS;
}

/**
 * A mixed insert/update/delete/key-change workload on the given example schemas, one transaction
 * at a time at about `ratePerSecond`, until stopped. Failures (PostgreSQL restarting) are counted
 * and the loop goes on.
 */
export class Workload {
  readonly counts: WorkloadCounts = { inserts: 0, updates: 0, deletes: 0, keyChanges: 0, failures: 0 };
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly targets: Array<{ pg: Pool; schema: string; steps: Step[] }>,
    private readonly random: () => number,
    private readonly ratePerSecond = 40,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    const pause = 1000 / this.ratePerSecond;
    while (this.running) {
      const target = pick(this.random, this.targets);
      const step = pick(this.random, target.steps);
      try {
        this.counts[await step(target.pg, target.schema, this.random)]++;
      } catch {
        this.counts.failures++;
        await sleep(200);
      }
      await sleep(pause);
    }
  }
}

/** A small seeded PRNG (mulberry32), so a run can be repeated with the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
