import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { createPgPool, pgSsl } from '@pg2ddb/postgres';
import { pgConnection, readStackEnv, testTempDir } from '@pg2ddb/testing';
import { runCli } from './cli-support';

// PostgreSQL over TLS up to verify-full (docs/security.md): the local PostgreSQL serves a
// certificate from the stack's test CA naming 127.0.0.1 only. The connector and the reconciler of
// every TestPipeline already connect with verify-full; here the library and the cli show the
// success and the refusals an operator would meet.
describe('security: PostgreSQL sslmode verify-full with a CA file', () => {
  const env = readStackEnv();
  const ca = env.PG2DDB_STACK_TLS_CA_FILE as string;

  async function sslOf(host: string, ssl: ReturnType<typeof pgSsl>): Promise<unknown> {
    const pool = createPgPool({ ...pgConnection(env), host, ssl }, { max: 1, connectionTimeoutMillis: 5000 });
    try {
      return (await pool.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).rows[0];
    } finally {
      await pool.end();
    }
  }

  it('verify-full to the name in the certificate connects over TLS', async () => {
    expect(await sslOf('127.0.0.1', pgSsl('verify-full', ca))).toEqual({ ssl: true });
    expect(await sslOf('127.0.0.1', pgSsl('disable', undefined))).toEqual({ ssl: false });
  });

  it('refuses a host name the certificate does not name, and a server signed by another CA', async () => {
    await expect(sslOf('localhost', pgSsl('verify-full', ca))).rejects.toThrow(
      "Hostname/IP does not match certificate's altnames: Host: localhost. is not cert's CN: pg2ddb local postgres",
    );
    // verify-ca checks the chain only: the same host name is accepted
    expect(await sslOf('localhost', pgSsl('verify-ca', ca))).toEqual({ ssl: true });
    const otherCa = join(testTempDir('pg-tls'), 'other-ca.crt');
    writeFileSync(otherCa, rootCertificates.slice(0, 1).join('\n'));
    await expect(sslOf('127.0.0.1', pgSsl('verify-full', otherCa))).rejects.toThrow('unable to verify the first certificate');
  });

  it('names the missing CA file setting', () => {
    expect(() => pgSsl('verify-full', undefined)).toThrow('PG2DDB_PG_SSLMODE=verify-full needs PG2DDB_PG_SSL_ROOT_CERT');
  });

  it('the cli connects with verify-full, and says why it cannot with a wrong host name', () => {
    const mapping = join(__dirname, '../../../examples/payments/mapping.yaml');
    const secure = { ...env, PG2DDB_PG_SSLMODE: 'verify-full', PG2DDB_PG_SSL_ROOT_CERT: ca };
    const ok = runCli(['history', '--mapping', mapping, '--json'], secure);
    expect(ok.stderr).not.toContain('altnames');
    expect(ok.status).toBe(0);
    const wrong = runCli(['history', '--mapping', mapping, '--json'], { ...secure, PG2DDB_PG_HOST: 'localhost' });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toContain("Hostname/IP does not match certificate's altnames: Host: localhost. is not cert's CN: pg2ddb local postgres");
  });
});
