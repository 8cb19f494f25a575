import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does to the requests it passes on. */
export interface DynamoFaults {
  /** Share (0–1) of requests answered with ProvisionedThroughputExceededException instead of being forwarded. */
  throttle?: number;
  /** Share (0–1) of each BatchWriteItem's requests left out and returned as UnprocessedItems. */
  unprocessed?: number;
  /** Only these operations (X-Amz-Target suffix, e.g. `BatchWriteItem`) are affected; default all. */
  operations?: string[];
}

/** Requests seen, and what was done to them. */
export interface FaultCounts {
  forwarded: number;
  throttled: number;
  /** Write requests returned as unprocessed. */
  unprocessedItems: number;
}

/**
 * A test double at the HTTP layer between a DynamoDB client and the DynamoDB emulator: it forwards every
 * request, except that it can answer a share of them with the throttling error real DynamoDB
 * sends, and can leave part of a BatchWriteItem unprocessed (forwarding only the rest), as real
 * DynamoDB does under load. The emulator never throttles, so this is how tests see the writer's
 * retries. The emulator does not check request signatures, so rewritten bodies are accepted.
 */
export class DynamoFaultProxy {
  faults: DynamoFaults = {};
  readonly counts: FaultCounts = { forwarded: 0, throttled: 0, unprocessedItems: 0 };
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly target: URL,
  ) {}

  /** Starts a proxy to `targetEndpoint` (e.g. http://127.0.0.1:58000) on a free local port. */
  static async start(targetEndpoint: string): Promise<DynamoFaultProxy> {
    const server = createServer();
    const proxy = new DynamoFaultProxy(server, new URL(targetEndpoint));
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      proxy.handle(req, res).catch((error: unknown) => {
        res.writeHead(502).end(String(error));
      });
    });
    server.on('connection', (socket) => {
      proxy.sockets.add(socket);
      socket.once('close', () => proxy.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** The endpoint clients should use. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks);
    const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
    const affected = this.faults.operations === undefined || this.faults.operations.includes(operation);
    if (affected && Math.random() < (this.faults.throttle ?? 0)) {
      this.counts.throttled++;
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `proxy-${Date.now()}` });
      res.end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
          message: 'The level of configured provisioned throughput for the table was exceeded (injected by the test proxy)',
        }),
      );
      return;
    }
    let heldBack: Record<string, unknown[]> | undefined;
    if (affected && operation === 'BatchWriteItem' && (this.faults.unprocessed ?? 0) > 0) {
      const parsed = JSON.parse(body.toString('utf8')) as { RequestItems: Record<string, unknown[]> };
      heldBack = {};
      for (const [table, requests] of Object.entries(parsed.RequestItems)) {
        const keep = requests.filter(() => Math.random() >= (this.faults.unprocessed ?? 0));
        // Always forward at least one request, so a retry loop makes progress as with real DynamoDB.
        if (keep.length === 0 && requests.length > 0) keep.push(requests[0]);
        const rest = requests.filter((request) => !keep.includes(request));
        if (rest.length > 0) heldBack[table] = rest;
        this.counts.unprocessedItems += rest.length;
        parsed.RequestItems[table] = keep;
      }
      for (const table of Object.keys(parsed.RequestItems)) if ((parsed.RequestItems[table] as unknown[]).length === 0) delete parsed.RequestItems[table];
      body = Buffer.from(JSON.stringify(parsed));
    }
    const upstream = await this.forward(req, body);
    this.counts.forwarded++;
    if (heldBack !== undefined && Object.keys(heldBack).length > 0 && upstream.status === 200) {
      const answer = JSON.parse(upstream.body.toString('utf8')) as { UnprocessedItems?: Record<string, unknown[]> };
      const unprocessed = answer.UnprocessedItems ?? {};
      for (const [table, requests] of Object.entries(heldBack)) unprocessed[table] = [...(unprocessed[table] ?? []), ...requests];
      answer.UnprocessedItems = unprocessed;
      const text = JSON.stringify(answer);
      // The body changed, so DynamoDB's checksum of it no longer holds; the SDK checks it only when present.
      const { 'x-amz-crc32': _checksum, ...headers } = upstream.headers;
      res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    res.writeHead(upstream.status, upstream.headers);
    res.end(upstream.body);
  }

  private forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: this.target.host, 'content-length': String(body.length) };
      const upstream = httpRequest(
        { host: this.target.hostname, port: this.target.port, path: req.url, method: req.method, headers },
        (response) => {
          const parts: Buffer[] = [];
          response.on('data', (part: Buffer) => parts.push(part));
          response.on('end', () => {
            const out: Record<string, string> = {};
            for (const [name, value] of Object.entries(response.headers)) {
              if (value !== undefined && name !== 'content-length' && name !== 'transfer-encoding' && name !== 'connection') out[name] = String(value);
            }
            resolve({ status: response.statusCode ?? 502, headers: out, body: Buffer.concat(parts) });
          });
          response.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }
}
