import { Pg2ddbError } from '@pg2ddb/errors';
import type { ConnectorStatus } from './connect-client';

/**
 * Kafka Connect REST calls for operating a connector (KIP-875 and earlier): read its config and
 * offsets, pause, resume, stop and restart it. Each call names what Connect answered on failure.
 */
export class ConnectLifecycle {
  constructor(private readonly baseUrl: string) {}

  /** The connector's stored config, or undefined when it does not exist. */
  async config(name: string): Promise<Record<string, string> | undefined> {
    const response = await this.request('GET', `/connectors/${encodeURIComponent(name)}/config`, [404]);
    return response.status === 404 ? undefined : ((await response.json()) as Record<string, string>);
  }

  /** Suspends the connector's tasks (they keep their state; offsets stay where they are). */
  async pause(name: string): Promise<void> {
    await this.request('PUT', `/connectors/${encodeURIComponent(name)}/pause`);
  }

  /** Resumes a paused or stopped connector. */
  async resume(name: string): Promise<void> {
    await this.request('PUT', `/connectors/${encodeURIComponent(name)}/resume`);
  }

  /** Shuts the connector and its tasks down completely (state STOPPED); `resume` starts new tasks from the committed offsets. */
  async stop(name: string): Promise<void> {
    await this.request('PUT', `/connectors/${encodeURIComponent(name)}/stop`);
  }

  /** Restarts the connector and all its tasks: new task instances that resume from the committed offsets. */
  async restart(name: string): Promise<void> {
    await this.request('POST', `/connectors/${encodeURIComponent(name)}/restart?includeTasks=true&onlyFailed=false`);
  }

  /** The connector's committed source offsets (GET /connectors/{name}/offsets, Connect 3.5+). */
  async offsets(name: string): Promise<Array<{ partition: Record<string, unknown>; offset: Record<string, unknown> | null }>> {
    const response = await this.request('GET', `/connectors/${encodeURIComponent(name)}/offsets`, [404]);
    if (response.status === 404) return [];
    return ((await response.json()) as { offsets?: Array<{ partition: Record<string, unknown>; offset: Record<string, unknown> | null }> }).offsets ?? [];
  }

  /** Polls the status until the connector and all its tasks are in `state` (RUNNING, PAUSED, STOPPED). */
  async waitForState(name: string, state: string, timeoutMs = 60000): Promise<ConnectorStatus> {
    const deadline = Date.now() + timeoutMs;
    let last: ConnectorStatus | undefined;
    while (Date.now() < deadline) {
      const response = await this.request('GET', `/connectors/${encodeURIComponent(name)}/status`, [404]);
      last = response.status === 404 ? undefined : ((await response.json()) as ConnectorStatus);
      const failed = last && [last.connector, ...last.tasks].find((part) => part.state === 'FAILED');
      if (failed) throw new Pg2ddbError('CONNECTOR_FAILED', `connector ${name} FAILED: ${(failed.trace ?? 'no trace').split('\n').slice(0, 3).join(' | ')}`);
      const tasksDone = state === 'STOPPED' ? true : last !== undefined && last.tasks.length > 0 && last.tasks.every((task) => task.state === state);
      if (last && last.connector.state === state && tasksDone) return last;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    throw new Pg2ddbError('CONNECTOR_STATE_TIMEOUT', `connector ${name} not ${state} after ${timeoutMs} ms (last status: ${JSON.stringify(last)})`, { retriable: true });
  }

  private async request(method: string, path: string, okStatuses: number[] = []): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, { method, signal: AbortSignal.timeout(30000) });
    } catch (error) {
      throw new Pg2ddbError('CONNECT_UNREACHABLE', `Kafka Connect at ${this.baseUrl} is unreachable (${(error as Error).message}); is the worker running?`, { retriable: true, cause: error });
    }
    if (!response.ok && !okStatuses.includes(response.status)) {
      const text = await response.text();
      throw new Pg2ddbError('CONNECT_REQUEST_FAILED', `Kafka Connect ${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`, { retriable: response.status >= 500 });
    }
    return response;
  }
}
