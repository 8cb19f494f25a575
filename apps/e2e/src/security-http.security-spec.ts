import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServiceProcess, type ServiceProcess } from '@pg2ddb/service';
import { TestPipeline } from '@pg2ddb/testing';

// Nothing listens beyond what the configuration says: PG2DDB_HTTP_HOST binds a service's health
// and metrics port to one address (the kernel's socket table shows it), every interface by default.
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
});
