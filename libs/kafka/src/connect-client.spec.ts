import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectClient } from './connect-client';

// A stand-in for a Connect REST API behind basic auth (Connect's BasicAuthSecurityRestExtension
// answers 401 the same way): only the client's header handling is under test here.
describe('ConnectClient basic auth', () => {
  let server: Server;
  let url: string;
  const seen: Array<string | undefined> = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push(request.headers.authorization);
      if (request.headers.authorization !== `Basic ${Buffer.from('ops:s3cret-pass').toString('base64')}`) {
        response.writeHead(401, { 'content-type': 'application/json' }).end('{"error_code":401,"message":"User cannot access the resource."}');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"c","connector":{"state":"RUNNING"},"tasks":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the credentials on every call, and none when not configured', async () => {
    expect(await new ConnectClient(url, { username: 'ops', password: 's3cret-pass' }).status('c')).toMatchObject({ connector: { state: 'RUNNING' } });
    await expect(new ConnectClient(url).status('c')).rejects.toThrow(
      `Kafka Connect at ${url} requires authentication (401 on GET /connectors/c/status): set PG2DDB_CONNECT_USERNAME and PG2DDB_CONNECT_PASSWORD`,
    );
    expect(seen).toEqual([`Basic ${Buffer.from('ops:s3cret-pass').toString('base64')}`, undefined]);
  });

  it('names a refused login without the password', async () => {
    const error = await new ConnectClient(url, { username: 'ops', password: 'wrong-pass' }).pause('c').catch((e: Error) => e);
    expect(error).toMatchObject({
      code: 'CONNECT_UNAUTHORIZED',
      retriable: false,
      message: `Kafka Connect at ${url} refused the credentials (401 on PUT /connectors/c/pause): check PG2DDB_CONNECT_USERNAME="ops" and PG2DDB_CONNECT_PASSWORD=***`,
    });
    expect((error as Error).message).not.toContain('wrong-pass');
  });
});
