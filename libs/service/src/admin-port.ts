import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';

/** The paths of the probe/metrics port: kubelet probes and the Prometheus scrape, nothing else. */
const PROBE_PATH = /^\/(health\/(live|ready)|metrics)\/?$/;

/** Marks a request that came in on the admin port (set by that port's server only). */
const ON_ADMIN_PORT = Symbol('pg2ddb.adminPort');

/** Tags a request as received on the admin port (what that port's server does to each request). */
export function markAdminRequest(request: IncomingMessage): void {
  (request as unknown as Record<symbol, boolean>)[ON_ADMIN_PORT] = true;
}

/**
 * Which port may serve a path once the admin actions have their own port (PG2DDB_ADMIN_PORT):
 * the HTTP port only /health/live, /health/ready and /metrics, the admin port everything else.
 */
export function servedOn(path: string): 'http' | 'admin' {
  return PROBE_PATH.test(path.split('?')[0] ?? '') ? 'http' : 'admin';
}

/**
 * Express middleware that answers 404 to a request on the wrong port (see {@link servedOn}), so a
 * scraper that reaches the metrics port cannot call an admin action and the admin port exposes no
 * metrics.
 */
export function portSeparation(request: IncomingMessage & { path?: string }, response: { statusCode: number; setHeader(name: string, value: string): unknown; end(body: string): unknown }, next: () => void): void {
  const arrivedOn = (request as unknown as Record<symbol, boolean>)[ON_ADMIN_PORT] === true ? 'admin' : 'http';
  if (servedOn(request.path ?? request.url ?? '/') === arrivedOn) {
    next();
    return;
  }
  response.statusCode = 404;
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify({ statusCode: 404, message: `not served on the ${arrivedOn === 'admin' ? 'admin port (PG2DDB_ADMIN_PORT)' : 'health/metrics port (PG2DDB_HTTP_PORT)'}` }));
}

/**
 * Serves `handler` (the service's Express app) on the admin port as well, tagging each request so
 * {@link portSeparation} knows where it came in. Resolves with the listening server.
 */
export function listenAdminPort(handler: RequestListener, port: number, host: string): Promise<Server> {
  const server = createServer((request, response) => {
    markAdminRequest(request);
    handler(request, response);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
