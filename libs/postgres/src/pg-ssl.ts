import { readFileSync } from 'node:fs';
import { ConfigError } from '@pg2ddb/config';

/** libpq's sslmode values pg2ddb supports (allow/prefer would fall back to clear text silently). */
export type PgSslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

/** The TLS options node-postgres (and TypeORM) take. */
export interface PgTls {
  rejectUnauthorized: boolean;
  ca?: string;
  checkServerIdentity?: () => undefined;
}

/**
 * node-postgres's `ssl` option for an sslmode, as libpq means it: `require` encrypts without
 * checking the server, `verify-ca` checks that the certificate chains to the CA file (any host
 * name), `verify-full` also that it names the host connected to. The CA file is required for the
 * verify modes (node's own CA list rarely holds a database's CA). Errors name the variables.
 */
export function pgSsl(mode: PgSslMode, caFile: string | undefined): false | PgTls {
  if (mode === 'disable') return false;
  if (mode === 'require') return { rejectUnauthorized: false };
  if (!caFile) throw new ConfigError([`PG2DDB_PG_SSLMODE=${mode} needs PG2DDB_PG_SSL_ROOT_CERT (the PEM file of the CA that signed the server's certificate)`]);
  let ca: string;
  try {
    ca = readFileSync(caFile, 'utf8');
  } catch (error) {
    throw new ConfigError([`PG2DDB_PG_SSL_ROOT_CERT=${caFile} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`]);
  }
  if (mode === 'verify-ca') return { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined };
  return { ca, rejectUnauthorized: true };
}
