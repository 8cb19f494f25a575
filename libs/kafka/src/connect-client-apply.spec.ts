import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectClient } from './connect-client';

// A stand-in for the Connect REST API: only the order and bodies of the client's calls are under
// test here (the real worker's answer to them is proven by the snapshot-offset-seed e2e test).
describe('ConnectClient.apply', () => {
  let server: Server;
  let url: string;
  let calls: string[];
  let existing: boolean;
  let offsets: unknown[];
  let failPatch: boolean;

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        calls.push(`${request.method} ${request.url}${body ? ` ${body}` : ''}`);
        const reply = (status: number, json: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
        if (request.method === 'GET' && request.url === '/connectors/c/config') return existing ? reply(200, { a: '1' }) : reply(404, { error_code: 404 });
        if (request.method === 'GET' && request.url === '/connectors/c/offsets') return reply(200, { offsets });
        if (request.method === 'PATCH' && failPatch) return reply(400, { error_code: 400, message: 'bad offsets' });
        return reply(request.method === 'POST' ? 201 : 200, {});
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    calls = [];
    existing = false;
    offsets = [];
    failPatch = false;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const connector = { name: 'c', config: { 'topic.prefix': 'shop', 'snapshot.mode': 'initial' } };

  it('creates a new connector stopped, seeds "initial snapshot in progress" and then starts it', async () => {
    expect(await new ConnectClient(url).apply(connector)).toBe(true);
    expect(calls).toEqual([
      'GET /connectors/c/config',
      `POST /connectors ${JSON.stringify({ name: 'c', config: connector.config, initial_state: 'STOPPED' })}`,
      'GET /connectors/c/offsets',
      `PATCH /connectors/c/offsets ${JSON.stringify({ offsets: [{ partition: { server: 'shop' }, offset: { snapshot: 'INITIAL', snapshot_completed: false, last_snapshot_record: false, ts_usec: 0 } }] })}`,
      'PUT /connectors/c/resume',
    ]);
  });

  it('keeps the offsets a re-created connector of the same name already has', async () => {
    offsets = [{ partition: { server: 'shop' }, offset: { lsn: 123, txId: 7 } }];
    expect(await new ConnectClient(url).apply(connector)).toBe(true);
    expect(calls.filter((call) => call.startsWith('PATCH'))).toEqual([]);
    expect(calls.at(-1)).toBe('PUT /connectors/c/resume');
  });

  it('only updates the config of an existing connector', async () => {
    existing = true;
    expect(await new ConnectClient(url).apply(connector)).toBe(false);
    expect(calls).toEqual(['GET /connectors/c/config', `PUT /connectors/c/config ${JSON.stringify(connector.config)}`]);
  });

  it('deletes a connector it created but could not seed, so a retry starts from scratch', async () => {
    failPatch = true;
    await expect(new ConnectClient(url).apply(connector)).rejects.toThrow('Kafka Connect PATCH /connectors/c/offsets answered 400: {"error_code":400,"message":"bad offsets"}');
    expect(calls.at(-1)).toBe('DELETE /connectors/c');
    expect(calls.some((call) => call.includes('/resume'))).toBe(false);
  });
});
