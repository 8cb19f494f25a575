import type { IncomingMessage } from 'node:http';
import { markAdminRequest, portSeparation, servedOn } from './admin-port';

describe('servedOn', () => {
  it.each([
    ['/health/live', 'http'],
    ['/health/ready', 'http'],
    ['/metrics', 'http'],
    ['/metrics?name[]=x', 'http'],
    ['/reconcile', 'admin'],
    ['/', 'admin'],
    ['/api/status', 'admin'],
    ['/health', 'admin'],
    ['/metrics/../reconcile', 'admin'],
    ['/healthz/ready', 'admin'],
  ])('%s → %s', (path, port) => {
    expect(servedOn(path)).toBe(port);
  });
});

describe('portSeparation', () => {
  const run = (path: string, onAdmin: boolean) => {
    const request = { path, url: path } as Parameters<typeof portSeparation>[0];
    if (onAdmin) markAdminRequest(request as IncomingMessage);
    const response = { statusCode: 200, headers: {} as Record<string, string>, body: '', setHeader(name: string, value: string) { this.headers[name] = value; }, end(body: string) { this.body = body; } };
    let passed = false;
    portSeparation(request, response, () => (passed = true));
    return { passed, status: response.statusCode, body: response.body };
  };

  it('passes probes on the HTTP port and admin actions on the admin port, 404 otherwise', () => {
    expect(run('/metrics', false)).toMatchObject({ passed: true, status: 200 });
    expect(run('/reconcile', false)).toEqual({ passed: false, status: 404, body: '{"statusCode":404,"message":"not served on the health/metrics port (PG2DDB_HTTP_PORT)"}' });
    expect(run('/reconcile', true)).toMatchObject({ passed: true, status: 200 });
    expect(run('/health/ready', true)).toEqual({ passed: false, status: 404, body: '{"statusCode":404,"message":"not served on the admin port (PG2DDB_ADMIN_PORT)"}' });
  });
});
