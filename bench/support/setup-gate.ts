import { randomBytes } from 'node:crypto';
import { Client, type ClientConfig } from 'pg';

/**
 * A pause inside TestPipeline.start, between loading the schema and registering the connector.
 *
 * TestPipeline picks its random schema/topic prefix itself and registers the connector right after
 * running `schemaSql`, so a benchmark cannot otherwise learn the prefix in time to create topics
 * with more partitions before Debezium and the services create them with one. The SQL returned by
 * `sql()` goes at the end of `schemaSql`: it commits the schema and rows, announces the schema name
 * with NOTIFY, then waits on an advisory lock this gate holds until `release()`. The wait also marks
 * exactly when the rows were loaded.
 */
export class SetupGate {
  private readonly channel = `pg2ddb_bench_${randomBytes(6).toString('hex')}`;
  private readonly lockKey = randomBytes(6).readUIntBE(0, 6);
  private announced?: Promise<{ schema: string; atMs: number }>;

  private constructor(private readonly client: Client) {}

  /** Connects, listens for the announcement and takes the lock. */
  static async open(connection: ClientConfig): Promise<SetupGate> {
    const client = new Client({ ...connection, application_name: 'pg2ddb-bench-gate' });
    await client.connect();
    const gate = new SetupGate(client);
    gate.announced = new Promise((resolve) => {
      client.on('notification', (message) => {
        if (message.channel === gate.channel && message.payload) resolve({ schema: message.payload, atMs: Date.now() });
      });
    });
    await client.query(`LISTEN ${gate.channel}`);
    await client.query('SELECT pg_advisory_lock($1)', [gate.lockKey]);
    return gate;
  }

  /**
   * Appended to schemaSql. In a multi-statement simple query an explicit COMMIT ends the implicit
   * transaction, so the rows are committed (and the snapshot will see them) before the wait starts.
   */
  sql(): string {
    return `;\nCOMMIT;\nSELECT pg_notify('${this.channel}', current_schema());\nCOMMIT;\nSELECT pg_advisory_lock(${this.lockKey});\nSELECT pg_advisory_unlock(${this.lockKey});\n`;
  }

  /** Resolves with the pipeline's schema (= its topic prefix) once its rows are committed. */
  async schemaLoaded(timeoutMs: number): Promise<{ schema: string; atMs: number }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the pipeline's schema SQL did not finish within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([this.announced as Promise<{ schema: string; atMs: number }>, timeout]).finally(() => clearTimeout(timer));
  }

  /** Lets TestPipeline.start go on (table, connector, services). */
  async release(): Promise<void> {
    await this.client.query('SELECT pg_advisory_unlock($1)', [this.lockKey]);
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
