import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';

/** The versions a benchmark ran against: the stack's servers and the client libraries. */
export type Versions = Record<string, string | null>;

/**
 * Asks the running servers for their versions (Postgres `server_version`, the Connect worker's
 * REST root and its Debezium plugin), reads Kafka's from the stack's pinned Maven pom and the
 * emulator's (moto) from its pinned requirements file, and the client libraries' from node_modules.
 */
export async function stackVersions(root: string, pool: Pool, connectUrl: string): Promise<Versions> {
  const versions: Versions = { node: process.version };
  versions.postgres = await pool
    .query<{ server_version: string }>('SHOW server_version')
    .then((result) => result.rows[0]?.server_version ?? null)
    .catch(() => null);
  versions.kafkaConnect = await fetchJson<{ version?: string }>(`${connectUrl}/`).then((body) => body?.version ?? null);
  versions.debeziumPostgres = await fetchJson<Array<{ class: string; version: string }>>(`${connectUrl}/connector-plugins`).then(
    (plugins) => plugins?.find((plugin) => plugin.class.endsWith('PostgresConnector'))?.version ?? null,
  );
  versions.kafka = pomProperty(root, 'kafka', 'kafka.version');
  versions.dynamodbEmulator = motoVersion(root);
  for (const name of ['kafkajs', '@aws-sdk/client-dynamodb', 'pg', '@nestjs/core', 'typescript', '@swc-node/register']) {
    try {
      versions[name] = (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      versions[name] = null;
    }
  }
  return versions;
}

function motoVersion(root: string): string | null {
  try {
    const pinned = /^moto\[[a-z,]*\]==(\S+)/m.exec(readFileSync(join(root, 'infra/local/moto/requirements.txt'), 'utf8'))?.[1];
    return pinned ? `moto ${pinned}` : null;
  } catch {
    return null;
  }
}

function pomProperty(root: string, component: string, property: string): string | null {
  try {
    const pom = readFileSync(join(root, 'infra/local/maven', component, 'pom.xml'), 'utf8');
    return new RegExp(`<${property.replace(/\./g, '\\.')}>([^<]+)</`).exec(pom)?.[1]?.trim() ?? null;
  } catch {
    return null;
  }
}

async function fetchJson<T>(url: string): Promise<T | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return response.ok ? ((await response.json()) as T) : null;
  } catch {
    return null;
  }
}
