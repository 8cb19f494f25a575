import { Pg2ddbError } from '@pg2ddb/errors';
import type { ConnectorConfig } from './connector-config';
import { hasOffsetFor, initialSnapshotSeed, type SourceOffset } from './snapshot-offset-seed';

export interface ConnectorStatus {
  name: string;
  connector: { state: string; trace?: string };
  tasks: Array<{ id: number; state: string; trace?: string }>;
}

/** Credentials of a Connect REST API behind basic auth (Connect's BasicAuthSecurityRestExtension or a proxy). */
export interface ConnectAuth {
  username: string;
  password: string;
}

/**
 * The Kafka Connect REST calls pg2ddb makes — create, read, operate (KIP-875: stop, offsets) and
 * delete the connector — with errors that say what Connect answered. One client, so the
 * connection options (basic auth; TLS through an https URL, and NODE_EXTRA_CA_CERTS for a private
 * CA) live in one place.
 */
export class ConnectClient {
  private readonly headers: Record<string, string>;

  constructor(
    private readonly baseUrl: string,
    private readonly auth?: ConnectAuth,
  ) {
    this.headers = auth ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } : {};
  }

  /**
   * Creates or updates the connector. Returns true when it was created.
   *
   * An existing connector gets the new config (PUT, idempotent). A new one is created STOPPED
   * (Kafka Connect 3.7+), given the "initial snapshot in progress" offset of `initialSnapshotSeed`
   * when it has no offset of its own yet, and then resumed: so a worker that dies at any point of
   * the first snapshot makes Debezium take it again instead of skipping it. A connector created
   * this way that cannot be seeded or resumed is deleted again (it never ran), so a retry starts
   * from scratch.
   */
  async apply(connector: ConnectorConfig): Promise<boolean> {
    const path = `/connectors/${encodeURIComponent(connector.name)}`;
    if ((await this.config(connector.name)) !== undefined) {
      await this.request('PUT', `${path}/config`, connector.config);
      return false;
    }
    const created = await this.request('POST', '/connectors', { name: connector.name, config: connector.config, initial_state: 'STOPPED' }, [409]);
    if (created.status === 409) {
      // Created by someone else meanwhile: theirs to start; ours is an update.
      await this.request('PUT', `${path}/config`, connector.config);
      return false;
    }
    try {
      const seed = initialSnapshotSeed(connector.config);
      if (seed && !hasOffsetFor(await this.offsets(connector.name), seed.partition)) await this.alterOffsets(connector.name, [seed]);
      await this.resume(connector.name);
    } catch (error) {
      await this.delete(connector.name).catch(() => false);
      throw error;
    }
    return true;
  }

  /** The connector's stored config, or undefined when it does not exist. */
  async config(name: string): Promise<Record<string, string> | undefined> {
    const response = await this.request('GET', `/connectors/${encodeURIComponent(name)}/config`, undefined, [404]);
    return response.status === 404 ? undefined : ((await response.json()) as Record<string, string>);
  }

  /** Suspends the connector's tasks (they keep their state; offsets stay where they are). */
  async pause(name: string): Promise<void> {
    await this.request('PUT', `/connectors/${encodeURIComponent(name)}/pause`);
  }

  /** Restarts the connector and all its tasks: new task instances that resume from the committed offsets. */
  async restart(name: string): Promise<void> {
    await this.request('POST', `/connectors/${encodeURIComponent(name)}/restart?includeTasks=true&onlyFailed=false`);
  }

  /** Polls the status until the connector and all its tasks are in `state` (RUNNING, PAUSED, STOPPED). */
  async waitForState(name: string, state: string, timeoutMs = 60000): Promise<ConnectorStatus> {
    const deadline = Date.now() + timeoutMs;
    let last: ConnectorStatus | undefined;
    while (Date.now() < deadline) {
      last = await this.status(name);
      const failed = last && [last.connector, ...last.tasks].find((part) => part.state === 'FAILED');
      if (failed) throw new Pg2ddbError('CONNECTOR_FAILED', `connector ${name} FAILED: ${(failed.trace ?? 'no trace').split('\n').slice(0, 3).join(' | ')}`);
      const tasksDone = state === 'STOPPED' ? true : last !== undefined && last.tasks.length > 0 && last.tasks.every((task) => task.state === state);
      if (last && last.connector.state === state && tasksDone) return last;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    throw new Pg2ddbError('CONNECTOR_STATE_TIMEOUT', `connector ${name} not ${state} after ${timeoutMs} ms (last status: ${JSON.stringify(last)})`, { retriable: true });
  }

  async status(name: string): Promise<ConnectorStatus | undefined> {
    const response = await this.request('GET', `/connectors/${encodeURIComponent(name)}/status`, undefined, [404]);
    return response.status === 404 ? undefined : ((await response.json()) as ConnectorStatus);
  }

  async delete(name: string): Promise<boolean> {
    const response = await this.request('DELETE', `/connectors/${encodeURIComponent(name)}`, undefined, [404]);
    return response.status !== 404;
  }

  /**
   * Stops the connector (Kafka Connect 3.5+): its tasks shut down and close their replication
   * connection, its configuration and offsets stay. `resume` starts it again from its offsets.
   */
  async stop(name: string): Promise<void> {
    await this.request('PUT', `/connectors/${encodeURIComponent(name)}/stop`);
  }

  /** The connector's source offsets (Kafka Connect 3.6+). */
  async offsets(name: string): Promise<SourceOffset[]> {
    const response = await this.request('GET', `/connectors/${encodeURIComponent(name)}/offsets`);
    return ((await response.json()) as { offsets: SourceOffset[] }).offsets;
  }

  /** Overwrites source offsets of a STOPPED connector (Kafka Connect 3.6+). */
  async alterOffsets(name: string, offsets: SourceOffset[]): Promise<void> {
    await this.request('PATCH', `/connectors/${encodeURIComponent(name)}/offsets`, { offsets });
  }

  /** Resumes a stopped or paused connector. */
  async resume(name: string): Promise<void> {
    await this.request('PUT', `/connectors/${encodeURIComponent(name)}/resume`);
  }

  /** Waits until the connector reports STOPPED (its tasks are gone). */
  async waitUntilStopped(name: string, timeoutMs = 60000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const status = await this.status(name);
      if (status?.connector.state === 'STOPPED' && status.tasks.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    throw new Pg2ddbError('CONNECTOR_NOT_STOPPED', `connector ${name} not STOPPED after ${timeoutMs} ms`, { retriable: true });
  }

  /**
   * Waits until the connector and all its tasks are RUNNING. A FAILED state stops the wait at once
   * with Connect's own trace, which names the cause (bad password, missing wal_level=logical, ...).
   * `onPoll` sees every status read (progress for an operator).
   */
  async waitUntilRunning(name: string, timeoutMs = 60000, onPoll?: (status: ConnectorStatus | undefined) => void): Promise<ConnectorStatus> {
    const deadline = Date.now() + timeoutMs;
    let last: ConnectorStatus | undefined;
    while (Date.now() < deadline) {
      last = await this.status(name);
      onPoll?.(last);
      const failed = last && [last.connector, ...last.tasks].find((part) => part.state === 'FAILED');
      if (failed) {
        const firstLines = (failed.trace ?? 'no trace').split('\n').slice(0, 3).join(' | ');
        throw new Pg2ddbError('CONNECTOR_FAILED', `connector ${name} FAILED: ${firstLines}`, { details: { status: last } });
      }
      if (last && last.connector.state === 'RUNNING' && last.tasks.length > 0 && last.tasks.every((task) => task.state === 'RUNNING')) return last;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    throw new Pg2ddbError('CONNECTOR_NOT_RUNNING', `connector ${name} not RUNNING after ${timeoutMs} ms (last status: ${JSON.stringify(last)})`, { retriable: true });
  }

  private async request(method: string, path: string, body?: unknown, okStatuses: number[] = []): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: body === undefined ? this.headers : { ...this.headers, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30000),
      });
    } catch (error) {
      const tls = tlsFailure(error);
      if (tls) {
        throw new Pg2ddbError('CONNECT_TLS_FAILED', `Kafka Connect at ${this.baseUrl}: the TLS handshake failed (${tls}); for a private CA set NODE_EXTRA_CA_CERTS to its PEM file`, { cause: error });
      }
      throw new Pg2ddbError('CONNECT_UNREACHABLE', `Kafka Connect at ${this.baseUrl} is unreachable (${(error as Error).message}); is the worker running?`, { retriable: true, cause: error });
    }
    if (response.status === 401 && !okStatuses.includes(401)) {
      // Never the password: the user name and the setting to check are enough to fix it.
      throw new Pg2ddbError(
        'CONNECT_UNAUTHORIZED',
        this.auth
          ? `Kafka Connect at ${this.baseUrl} refused the credentials (401 on ${method} ${path}): check PG2DDB_CONNECT_USERNAME="${this.auth.username}" and PG2DDB_CONNECT_PASSWORD=***`
          : `Kafka Connect at ${this.baseUrl} requires authentication (401 on ${method} ${path}): set PG2DDB_CONNECT_USERNAME and PG2DDB_CONNECT_PASSWORD`,
      );
    }
    if (!response.ok && !okStatuses.includes(response.status)) {
      const text = await response.text();
      throw new Pg2ddbError('CONNECT_REQUEST_FAILED', `Kafka Connect ${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`, {
        retriable: response.status >= 500,
      });
    }
    return response;
  }
}

/** TLS error codes of node's client (fetch's cause) that mean the server's certificate was not accepted. */
const TLS_FAILURE = /^(ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_SSL_)/;

/** "CODE: message" of a certificate/TLS failure somewhere in an error's cause chain, or undefined. */
function tlsFailure(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof e.code === 'string' && TLS_FAILURE.test(e.code)) return `${e.code}: ${String(e.message)}`;
    current = e.cause;
  }
  return undefined;
}
