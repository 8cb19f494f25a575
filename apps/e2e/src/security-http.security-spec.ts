import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startServiceProcess, type ServiceProcess } from '@pg2ddb/service';
import { TestPipeline } from '@pg2ddb/testing';

// Nothing listens beyond what the configuration says: PG2DDB_HTTP_HOST binds a service's health
// and metrics port to one address (the kernel's socket table shows it), every interface by default;
// PG2DDB_ADMIN_PORT gives the admin actions a port of their own, and neither port serves the other's paths.
const examples = join(__dirname, '../../../examples/payments');

/** The local addresses (hex, as /proc/net/tcp writes them) listening on `port`. */
function listeners(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A') // 0A: LISTEN
    .map((fields) => (fields[1] as string).split(':')[0] as string);
}

describe('security: the HTTP side binds where PG2DDB_HTTP_HOST says', () => {
  let pipeline: TestPipeline;
  const started: ServiceProcess[] = [];

  beforeAll(async () => {
    pipeline = await TestPipeline.start({ mapping: readFileSync(join(examples, 'mapping.yaml'), 'utf8'), schemaSql: readFileSync(join(examples, 'schema.sql'), 'utf8'), services: [] });
  });

  afterAll(async () => {
    await Promise.all(started.map((service) => service.stop()));
    await pipeline?.stop();
  });

  it('127.0.0.1 only when told, every interface by default', async () => {
    const env = { ...pipeline.env, PG2DDB_MAPPING_FILE: pipeline.mappingFile, PG2DDB_TOPIC_PREFIX: pipeline.names.prefix };
    const local = await startServiceProcess('writer', { ...env, PG2DDB_HTTP_HOST: '127.0.0.1' }, join(pipeline.workDir, 'writer-local.log'));
    started.push(local);
    await local.ready();
    expect(listeners(local.httpPort)).toEqual(['0100007F']);
    const open = await startServiceProcess('writer', env, join(pipeline.workDir, 'writer-open.log'));
    started.push(open);
    await open.ready();
    expect(listeners(open.httpPort)).toEqual(['00000000']);
  });

  it('the reconciler: probes and metrics on PG2DDB_HTTP_PORT only, POST /reconcile on PG2DDB_ADMIN_PORT only', async () => {
    const token = `admin-${Math.random().toString(36).slice(2)}-${Date.now()}`;
    const adminPort = await freePort();
    const reconciler = await startServiceProcess(
      'reconciler',
      {
        ...(pipeline.env as Record<string, string>),
        PG2DDB_MAPPING_FILE: pipeline.mappingFile,
        PG2DDB_TOPIC_PREFIX: pipeline.names.prefix,
        PG2DDB_RECONCILE_SCHEDULE: 'false',
        PG2DDB_RECONCILE_ENDPOINT: 'true',
        PG2DDB_RECONCILER_TOKEN: token,
        PG2DDB_ADMIN_PORT: String(adminPort),
        PG2DDB_ADMIN_HOST: '127.0.0.1',
      },
      join(pipeline.workDir, 'reconciler-admin-port.log'),
    );
    started.push(reconciler);
    await reconciler.ready(); // /health/ready on the HTTP port, as the kubelet and the harness probe it
    const http = `http://127.0.0.1:${reconciler.httpPort}`;
    const admin = `http://127.0.0.1:${adminPort}`;
    const reconcile = (base: string, bearer?: string) =>
      fetch(`${base}/reconcile`, { method: 'POST', headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }, body: '{"mode":"count"}' });

    expect((await fetch(`${http}/metrics`)).status).toBe(200);
    expect((await fetch(`${http}/health/live`)).status).toBe(200);
    const onHttp = await reconcile(http, token);
    expect(onHttp.status).toBe(404);
    expect(await onHttp.json()).toEqual({ statusCode: 404, message: 'not served on the health/metrics port (PG2DDB_HTTP_PORT)' });

    expect((await fetch(`${admin}/metrics`)).status).toBe(404);
    expect((await fetch(`${admin}/health/ready`)).status).toBe(404);
    expect((await reconcile(admin)).status).toBe(401);
    const run = await reconcile(admin, token);
    expect(run.status).toBe(200);
    expect(await run.json()).toMatchObject({ runId: expect.any(String), entities: expect.arrayContaining([expect.anything()]) });

    expect(listeners(adminPort)).toEqual(['0100007F']);
    expect(listeners(reconciler.httpPort)).toEqual(['00000000']);
    expect(readFileSync(reconciler.logFile, 'utf8')).not.toContain(token);
  });
});
