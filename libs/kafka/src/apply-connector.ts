import { readFileSync } from 'node:fs';
import { ConnectClient, type ConnectAuth, type ConnectorStatus } from './connect-client';
import { assertNoPlaintextSecret, renderConnectorConfig, type ConnectorConfig, type ConnectorSettings } from './connector-config';

/**
 * Renders the shipped connector template for these settings, creates or updates the connector
 * through the Connect REST API and waits until it and its task are RUNNING. A clear-text
 * database password is refused unless `allowPlaintextSecret` (see `assertNoPlaintextSecret`).
 */
export async function applyPostgresConnector(options: {
  connectUrl: string;
  templatePath: string;
  settings: ConnectorSettings;
  timeoutMs?: number;
  allowPlaintextSecret?: boolean;
  /** Basic auth of the Connect REST API, if it has any. */
  connectAuth?: ConnectAuth;
  /** Connector properties set on top of the rendered template (tests: e.g. Debezium's snapshot locking). */
  overrides?: Record<string, string>;
}): Promise<{ connector: ConnectorConfig; created: boolean; status: ConnectorStatus }> {
  const rendered = renderConnectorConfig(readFileSync(options.templatePath, 'utf8'), options.settings);
  const connector = { ...rendered, config: { ...rendered.config, ...options.overrides } };
  assertNoPlaintextSecret(connector, options.allowPlaintextSecret);
  const client = new ConnectClient(options.connectUrl, options.connectAuth);
  const created = await client.apply(connector);
  const status = await client.waitUntilRunning(connector.name, options.timeoutMs ?? 60000);
  return { connector, created, status };
}
