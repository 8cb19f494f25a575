import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { freePort, repoRoot } from '@pg2ddb/service';
import { testTempDir } from '@pg2ddb/testing';

// A missing prerequisite must stop `stack.sh start` before anything starts, with a message that
// says what is wrong and how to fix it. Each case uses its own state dir and ports, so it never
// touches the stack the other end-to-end tests share.
const stack = join(repoRoot(), 'infra/local/stack.sh');

async function isolatedEnv(): Promise<Record<string, string>> {
  const dir = testTempDir('prereq');
  return {
    ...(process.env as Record<string, string>),
    PG2DDB_STACK_DIR: join(dir, 'state'),
    PG2DDB_PG_PORT: String(await freePort()),
    PG2DDB_DYNAMO_PORT: String(await freePort()),
    PG2DDB_KAFKA_PORT: String(await freePort()),
    PG2DDB_KAFKA_CONTROLLER_PORT: String(await freePort()),
    PG2DDB_CONNECT_PORT: String(await freePort()),
  };
}

function start(env: Record<string, string>) {
  const result = spawnSync('bash', [stack, 'start'], { env, encoding: 'utf8', timeout: 120000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function nothingRunning(env: Record<string, string>): void {
  const status = spawnSync('bash', [stack, 'status'], { env, encoding: 'utf8' });
  expect(status.status).not.toBe(0);
  expect(status.stdout).not.toMatch(/\bup\b/);
}

describe('stack.sh start refuses a missing prerequisite with a clear message', () => {
  it('names a taken port, the component, the process and the variable to change', async () => {
    const env = await isolatedEnv();
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(Number(env.PG2DDB_DYNAMO_PORT), '127.0.0.1', resolve));
    try {
      const { status, output } = start(env);
      expect(status).not.toBe(0);
      expect(output).toContain(`port ${env.PG2DDB_DYNAMO_PORT} (needed by the DynamoDB emulator) is already in use`);
      expect(output).toContain('export PG2DDB_DYNAMO_PORT=<free port>');
    } finally {
      server.close();
    }
    nothingRunning(env);
  });

  it('says Java is too old and how to install Java 17', async () => {
    const env = await isolatedEnv();
    const fakeJdk = testTempDir('jdk11');
    mkdirSync(join(fakeJdk, 'bin'));
    writeFileSync(join(fakeJdk, 'bin/java'), '#!/bin/sh\necho "    java.specification.version = 11" >&2\necho \'openjdk version "11.0.2"\' >&2\n');
    chmodSync(join(fakeJdk, 'bin/java'), 0o755);
    const { status, output } = start({ ...env, JAVA_HOME: fakeJdk });
    expect(status).not.toBe(0);
    expect(output).toContain('Java 17+ is required');
    expect(output).toContain('apt-get install -y openjdk-17-jre-headless');
    nothingRunning(env);
  });

  it('says the Maven repository is unreachable and how to point at a mirror', async () => {
    const env = await isolatedEnv();
    const closedPort = await freePort();
    const { status, output } = start({
      ...env,
      PG2DDB_CACHE_DIR: testTempDir('empty-cache'),
      PG2DDB_MAVEN_REPO: `http://127.0.0.1:${closedPort}/maven2`,
      MAVEN_OPTS: `-Dmaven.repo.local=${testTempDir('m2')}`,
    });
    expect(status).not.toBe(0);
    expect(output).toContain('is unreachable');
    expect(output).toContain('PG2DDB_MAVEN_REPO');
    nothingRunning(env);
  });
});
