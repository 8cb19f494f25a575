import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createPgPool, quoteIdent } from '@pg2ddb/postgres';
import { pgConnection, PrivateConnectWorker, randomId, readStackEnv, testTempDir } from '@pg2ddb/testing';
import type { Pool } from 'pg';
import { runCli } from './cli-support';

// Kafka Connect's REST API behind basic auth and TLS, on a real worker: Connect's own
// BasicAuthSecurityRestExtension (JAAS PropertyFileLoginModule, credentials generated here) and an
// https listener with the stack's test CA. The cli applies and reads the connector with
// PG2DDB_CONNECT_USERNAME/PASSWORD and the CA in NODE_EXTRA_CA_CERTS; a wrong or missing password
// and an untrusted certificate fail with a message that names the setting, never the secret.
const mapping = (schema: string) => `
version: 1
table: { name: pg2ddb-connect-auth, partitionKey: { name: PK, type: S } }
entities:
  - name: Thing
    source: { schema: ${schema}, table: things }
    primaryKey: [id]
    columns: { id: integer }
    key: { pk: "THING#{id}" }
`;

describe('security: the Kafka Connect REST API with basic auth over TLS', () => {
  const username = 'pg2ddb-ops';
  const password = randomBytes(18).toString('hex');
  const wrong = randomBytes(18).toString('hex');
  const id = randomId('connauth');
  let worker: PrivateConnectWorker;
  let pg: Pool;
  let mappingFile: string;
  let caFile: string;
  const name = `pg2ddb-${id}`;
  const cli = (action: string, extra: Record<string, string> = {}) =>
    runCli(['connector', action, '--mapping', mappingFile, ...(action === 'delete' ? ['--drop-slot'] : [])], {
      PG2DDB_TOPIC_PREFIX: id,
      PG2DDB_CONNECT_URL: worker.url,
      PG2DDB_CONNECT_USERNAME: username,
      PG2DDB_CONNECT_PASSWORD: password,
      NODE_EXTRA_CA_CERTS: caFile,
      ...extra,
    });
  const secrets = [password, wrong];

  beforeAll(async () => {
    const env = readStackEnv();
    caFile = env.PG2DDB_STACK_TLS_CA_FILE as string;
    const tls = dirname(caFile);
    [worker, pg] = await Promise.all([
      PrivateConnectWorker.start(env.PG2DDB_KAFKA_BROKERS as string, {
        basicAuth: { username, password },
        https: { keystoreFile: join(tls, 'kafka.p12'), keystorePassword: readFileSync(join(tls, 'kafka-keystore-password'), 'utf8').trim(), caFile },
      }),
      (async () => {
        const pool = createPgPool(pgConnection(env));
        await pool.query(`CREATE SCHEMA ${quoteIdent(id)}; CREATE TABLE ${quoteIdent(id)}.things (id integer PRIMARY KEY)`);
        return pool;
      })(),
    ]);
    mappingFile = join(testTempDir(id), 'mapping.yaml');
    writeFileSync(mappingFile, mapping(id));
  }, 240000);

  afterAll(async () => {
    if (worker && mappingFile) cli('delete');
    await pg?.query(`DROP SCHEMA IF EXISTS ${quoteIdent(id)} CASCADE`).catch(() => undefined);
    await pg?.end();
    await worker?.destroy();
  });

  it('the worker refuses a request without credentials (401)', async () => {
    expect(await worker.get('/connectors', true)).toBe(401);
    expect(await worker.get('/connectors')).toBe(200);
  });

  it('applies and reads the connector with the right password, over https', () => {
    const apply = cli('apply');
    expect(apply.stderr).not.toMatch(/error/i);
    expect(apply.status).toBe(0);
    expect(apply.stdout).toContain(`connector ${name} created and RUNNING`);
    const status = cli('status', { PG2DDB_CONNECT_USERNAME: username });
    expect(status.status).toBe(0);
    expect(status.stdout).toContain(`connector ${name}: RUNNING; tasks: 0=RUNNING`);
    for (const secret of secrets) expect(apply.output + status.output).not.toContain(secret);
  }, 180000);

  it('a wrong or missing password fails naming the settings, without the secret, and changes nothing', () => {
    const refused = cli('apply', { PG2DDB_CONNECT_PASSWORD: wrong });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(
      `Kafka Connect at ${worker.url} refused the credentials (401 on GET /connectors/${name}/config): check PG2DDB_CONNECT_USERNAME="${username}" and PG2DDB_CONNECT_PASSWORD=***`,
    );
    const anonymous = cli('status', { PG2DDB_CONNECT_USERNAME: '', PG2DDB_CONNECT_PASSWORD: '' });
    expect(anonymous.status).toBe(2);
    expect(anonymous.stderr).toContain(
      `Kafka Connect at ${worker.url} requires authentication (401 on GET /connectors/${name}/status): set PG2DDB_CONNECT_USERNAME and PG2DDB_CONNECT_PASSWORD`,
    );
    for (const secret of secrets) expect(refused.output + anonymous.output).not.toContain(secret);
    // the connector the refused calls reached for is still there and running
    expect(cli('status').stdout).toContain(`connector ${name}: RUNNING; tasks: 0=RUNNING`);
    // the worker's own log never saw the password either
    expect(readFileSync(worker.logFile, 'utf8')).not.toContain(password);
  }, 120000);

  it('an untrusted certificate fails naming the CA setting', () => {
    const untrusted = cli('status', { NODE_EXTRA_CA_CERTS: '' });
    expect(untrusted.status).toBe(2);
    expect(untrusted.stderr).toContain(`Kafka Connect at ${worker.url}: the TLS handshake failed (`);
    expect(untrusted.stderr).toContain('for a private CA set NODE_EXTRA_CA_CERTS to its PEM file');
    for (const secret of secrets) expect(untrusted.output).not.toContain(secret);
  }, 60000);
});
