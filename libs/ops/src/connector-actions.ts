import { ConnectClient, type ConnectorStatus } from '@pg2ddb/kafka';
import { Pg2ddbError } from '@pg2ddb/errors';

/** What an operator may do to a running connector (from the cli or the status page). */
export const CONNECTOR_ACTIONS = ['pause', 'resume', 'stop', 'restart'] as const;
export type ConnectorAction = (typeof CONNECTOR_ACTIONS)[number];

const TARGET: Record<ConnectorAction, string> = { pause: 'PAUSED', resume: 'RUNNING', stop: 'STOPPED', restart: 'RUNNING' };

/**
 * Pauses, resumes, stops or restarts the connector through Kafka Connect's REST API and waits
 * until it reached the state the action leads to. Idempotent: pausing a paused connector only
 * confirms it. Throws CONNECTOR_ABSENT when there is no such connector.
 */
export async function runConnectorAction(connect: string | ConnectClient, name: string, action: ConnectorAction, timeoutMs = 60000): Promise<ConnectorStatus> {
  if (!(CONNECTOR_ACTIONS as readonly string[]).includes(action)) throw new Pg2ddbError('CONNECTOR_ACTION_UNKNOWN', `unknown connector action "${String(action)}" (${CONNECTOR_ACTIONS.join(', ')})`);
  const client = typeof connect === 'string' ? new ConnectClient(connect) : connect;
  if (!(await client.status(name))) throw new Pg2ddbError('CONNECTOR_ABSENT', `connector ${name} does not exist`);
  await client[action](name);
  return client.waitForState(name, TARGET[action], timeoutMs);
}

/** The state an action leads to (PAUSED, RUNNING, STOPPED). */
export function connectorActionTarget(action: ConnectorAction): string {
  return TARGET[action];
}
