import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertNoPlaintextSecret, ConnectClient, isConfigProviderReference, renderConnectorConfig, type ConnectorStatus } from '@pg2ddb/kafka';
import { connectorActionTarget, runConnectorAction } from '@pg2ddb/ops';
import { errorCode, Pg2ddbError } from '@pg2ddb/errors';
import {
  describeSlotBlockers,
  dropHeartbeatTable,
  dropPublication,
  dropReplicationSlot,
  dropSignalTable,
  ensureHeartbeatTable,
  ensureSignalTable,
  prepareConnectorSource,
  slotCreationBlockers,
  type SlotCreationBlocker,
} from '@pg2ddb/postgres';
import { repoRoot } from '@pg2ddb/service';
import { settings } from '../cli-settings';
import { jsonOption, mappingOption } from '../framework/cli-args';
import type { CliCommand } from '../framework/cli-command';
import { ExitCode, UsageError } from '../framework/exit-codes';
import { PipelineContext } from '../framework/pipeline-context';

const ACTIONS = ['apply', 'render', 'status', 'pause', 'resume', 'stop', 'restart', 'delete'] as const;
type Action = (typeof ACTIONS)[number];

/**
 * `pg2ddb connector <action>`: the Debezium connector through the Kafka Connect REST API. Every
 * action is idempotent: apply leaves an identical config alone, pause/resume/stop of a connector
 * already in that state only confirms it.
 */
export const connectorCommand: CliCommand = {
  name: 'connector',
  uses: ['connect', 'postgres'],
  summary: 'apply | status | pause | resume | stop | restart | delete the Debezium connector',
  usage: `usage: pg2ddb connector <apply|render|status|pause|resume|stop|restart|delete> --mapping FILE [--json]

  apply     render infra/debezium/postgres-connector.json for this deployment, create the signal
            table, create or update the connector (no-op when the config is unchanged) and wait
            until it and its task are RUNNING. When the connector has its own role
            (PG2DDB_CONNECTOR_DB_USER), apply (as PG2DDB_PG_USER, the tables' owner) also creates
            the publication and grants that role SELECT on the captured tables (docs/security.md).
            A clear-text database.password is refused unless --allow-plaintext-secret
  render    print the config apply would send, as JSON (contacts nothing; a plain password is
            masked, a config-provider reference such as \${env:NAME} is shown as it is)
  status    connector and task states (exit 1 unless RUNNING)
  pause     suspend the task (offsets and in-flight incremental snapshot kept)
  resume    resume a paused or stopped connector
  stop      shut the connector and its task down (STOPPED); resume starts a new task from offsets
  restart   restart the connector and its task (new task instance from the committed offsets)
  delete    remove the connector; --drop-slot also drops its replication slot, publication and
            signal table (PostgreSQL would otherwise keep WAL for the slot forever)

Names: connector pg2ddb-<PG2DDB_TOPIC_PREFIX>, slot/publication pg2ddb_<prefix>
(PG2DDB_SLOT_NAME, PG2DDB_PUBLICATION_NAME), signal table <schema>.pg2ddb_signal_<prefix>
(PG2DDB_SIGNAL_TABLE), snapshot chunk size PG2DDB_SNAPSHOT_CHUNK_SIZE (1024), change topics'
partitions/replicas PG2DDB_CHANGE_TOPIC_PARTITIONS/PG2DDB_CHANGE_TOPIC_REPLICAS (1/1), the connector's
database.user PG2DDB_CONNECTOR_DB_USER (default PG2DDB_PG_USER), its database.password
PG2DDB_CONNECTOR_DB_PASSWORD: a config-provider reference the worker resolves (default
\${env:PG2DDB_DEBEZIUM_PASSWORD}; or \${file:/path:key}).

exit: 0 done / RUNNING, 1 not RUNNING or failed, 2 usage, 3 Connect or PostgreSQL unreachable`,
  options: { ...mappingOption, ...jsonOption, 'drop-slot': { type: 'boolean', default: false }, 'allow-plaintext-secret': { type: 'boolean', default: false }, timeout: { type: 'string' } },
  async run({ values, positionals, env, print, json, emitJson, progress }) {
    const action = positionals[0] as Action | undefined;
    if (!action || !ACTIONS.includes(action)) throw new UsageError(`connector needs an action: ${ACTIONS.join(', ')}${action ? ` (got "${action}")` : ''}`);
    const context = PipelineContext.open(values.mapping as string | undefined, env);
    const name = context.connectorName;
    const client = new ConnectClient(context.connectUrl, settings.connectAuth(env));
    const timeoutMs = Number(values.timeout ?? 60) * 1000;
    const report = (result: Record<string, unknown>, line: string, code: number = ExitCode.Ok): number => {
      if (json) emitJson({ connector: name, action, ...result, exitCode: code });
      else print(line);
      return code;
    };
    try {
      switch (action) {
        case 'apply': {
          progress.step(`connector ${name}: rendering the config for tables ${context.connector.tables.join(', ')}`);
          const rendered = renderConnectorConfig(readFileSync(join(repoRoot(), 'infra/debezium/postgres-connector.json'), 'utf8'), context.connector);
          try {
            assertNoPlaintextSecret(rendered, values['allow-plaintext-secret'] as boolean);
          } catch (error) {
            throw new UsageError((error as Error).message);
          }
          // Before the connector exists, so its filtered publication is created with the signal table
          // in it; the heartbeat action query writes to its table: a missing one would fail the task.
          progress.step(`connector ${name}: ensuring the signal table ${context.signalTable}`);
          const prepared = await prepareConnectorSource(context.pg, {
            adminUser: settings.postgres(env).user,
            connectorUser: context.connector.database.user,
            publication: context.publication,
            tables: context.connector.tables,
            signalTable: context.signalTable,
            heartbeatTable: context.heartbeatTable,
          });
          const signal = { addedToPublication: prepared.signalAddedToPublication };
          const heartbeat = { addedToPublication: prepared.heartbeatAddedToPublication };
          const existing = await client.config(name);
          const unchanged = existing !== undefined && sameConfig(existing, rendered.config, name);
          if (!unchanged) progress.step(`connector ${name}: ${existing === undefined ? 'creating' : 'updating'} it in Kafka Connect`);
          const created = unchanged ? false : await client.apply(rendered);
          const waitStarted = Date.now();
          // A task that creates its slot waits for every open transaction: say which backend holds it.
          let blockers: SlotCreationBlocker[] = [];
          let checkedAt = 0;
          const status = await client
            .waitUntilRunning(name, timeoutMs, (polled) => {
              if (Date.now() - checkedAt > 3000 && !(polled && isRunning(polled))) {
                checkedAt = Date.now();
                void slotCreationBlockers(context.pg, context.slot).then((found) => (blockers = found), () => undefined);
              }
              progress.update(
                `connector ${name}: waiting for RUNNING (${Math.round((Date.now() - waitStarted) / 1000)}s): ${polled ? `${polled.connector.state}, tasks ${polled.tasks.map((task) => task.state).join(', ') || 'none yet'}` : 'not registered yet'}${blockers.length > 0 ? `; slot creation waits for backend pid ${blockers.map((b) => b.pid).join(', ')}` : ''}`,
              );
            })
            .catch(async (error: unknown) => {
              if (errorCode(error) !== 'CONNECTOR_NOT_RUNNING') throw error;
              const now = await slotCreationBlockers(context.pg, context.slot).catch(() => []);
              if (now.length === 0) throw error;
              throw new Pg2ddbError('CONNECTOR_SLOT_BLOCKED', `connector ${name} not RUNNING after ${Math.round(timeoutMs / 1000)} s: ${describeSlotBlockers(context.slot, now)}`, {
                cause: error,
                details: { blockers: now },
              });
            });
          progress.clear();
          // A publication made by an older config lacks the signal table: add it now.
          if (!signal.addedToPublication) await ensureSignalTable(context.pg, context.signalTable, context.publication);
          if (!heartbeat.addedToPublication) await ensureHeartbeatTable(context.pg, context.heartbeatTable, context.publication);
          const outcome = unchanged ? 'unchanged' : created ? 'created' : 'updated';
          return report(
            { outcome, state: status.connector.state, tables: context.connector.tables, signalTable: context.signalTable },
            `connector ${name} ${outcome} and RUNNING (tables: ${context.connector.tables.join(', ')}; signal table ${context.signalTable})`,
          );
        }
        case 'render': {
          const rendered = renderConnectorConfig(readFileSync(join(repoRoot(), 'infra/debezium/postgres-connector.json'), 'utf8'), context.connector);
          const password = rendered.config['database.password'] ?? '';
          if (!isConfigProviderReference(password)) rendered.config['database.password'] = '***';
          print(JSON.stringify(rendered, null, 2));
          return ExitCode.Ok;
        }
        case 'status': {
          const found = await client.status(name);
          if (!found) return report({ state: 'ABSENT' }, `connector ${name} does not exist`, ExitCode.Findings);
          const status = redactStatus(found, [env.PG2DDB_PG_PASSWORD, env.PG2DDB_CONNECTOR_DB_PASSWORD, env.PG2DDB_DEBEZIUM_PASSWORD]);
          const running = isRunning(status);
          return report(
            { state: status.connector.state, tasks: status.tasks.map((t) => ({ id: t.id, state: t.state, trace: t.trace?.split('\n')[0] })) },
            `connector ${name}: ${status.connector.state}; tasks: ${status.tasks.map((task) => `${task.id}=${task.state}${task.trace ? ` (${task.trace.split('\n')[0]})` : ''}`).join(', ') || 'none'}`,
            running ? ExitCode.Ok : ExitCode.Findings,
          );
        }
        case 'pause':
        case 'resume':
        case 'stop':
        case 'restart': {
          if (!(await client.status(name))) return report({ state: 'ABSENT' }, `connector ${name} does not exist`, ExitCode.Findings);
          progress.step(`connector ${name}: ${action} requested; waiting for ${connectorActionTarget(action)}`);
          const status = await runConnectorAction(client, name, action, timeoutMs);
          return report({ state: status.connector.state }, `connector ${name} ${connectorActionTarget(action)}`);
        }
        case 'delete': {
          const deleted = await client.delete(name);
          const lines = [deleted ? `connector ${name} deleted` : `connector ${name} did not exist`];
          let slotDropped = false;
          if (values['drop-slot']) {
            slotDropped = await dropReplicationSlot(context.pg, context.slot);
            lines.push(slotDropped ? `replication slot ${context.slot} dropped` : `replication slot ${context.slot} did not exist`);
            await dropPublication(context.pg, context.publication);
            await dropSignalTable(context.pg, context.signalTable);
            await dropHeartbeatTable(context.pg, context.heartbeatTable);
            lines.push(`publication ${context.publication}, signal table ${context.signalTable} and heartbeat table ${context.heartbeatTable} dropped`);
          }
          return report({ deleted, slotDropped }, lines.join('\n'));
        }
      }
    } finally {
      await context.close();
    }
  },
};

/**
 * Connect's traces quote what a task saw (a JDBC URL, a failing statement): status never prints a
 * password, neither one it knows from the environment nor a `password=...` pair in a trace.
 */
function redactStatus(status: ConnectorStatus, secrets: Array<string | undefined>): ConnectorStatus {
  const known = secrets.filter((secret): secret is string => secret !== undefined && secret.length >= 4 && !isConfigProviderReference(secret));
  const redact = (trace: string | undefined): string | undefined => {
    if (trace === undefined) return undefined;
    let out = trace.replace(/(password["']?\s*[=:]\s*["']?)[^\s"',;&]+/gi, '$1***');
    for (const secret of known) out = out.split(secret).join('***');
    return out;
  };
  return {
    ...status,
    connector: { ...status.connector, trace: redact(status.connector.trace) },
    tasks: status.tasks.map((task) => ({ ...task, trace: redact(task.trace) })),
  };
}

function isRunning(status: ConnectorStatus): boolean {
  return status.connector.state === 'RUNNING' && status.tasks.length > 0 && status.tasks.every((task) => task.state === 'RUNNING');
}

// Connect returns the stored config with `name` added.
function sameConfig(existing: Record<string, string>, wanted: Record<string, string>, name: string): boolean {
  const stored = { ...existing };
  if (stored.name === name && wanted.name === undefined) delete stored.name;
  const keys = new Set([...Object.keys(stored), ...Object.keys(wanted)]);
  return [...keys].every((key) => stored[key] === wanted[key]);
}
