import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { validateTable } from '@pg2ddb/dynamo';
import type { CompiledMapping } from '@pg2ddb/mapping';
import { replicationReadiness } from '@pg2ddb/postgres';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { errorMessage } from '@pg2ddb/errors';
import { isUnreachable } from '../framework/exit-codes';
import type { ChecklistEntry, ValidationFinding } from './validation-finding';
import { walKeepSizeAdvice } from './wal-keep-size';

export interface InfraResult {
  findings: ValidationFinding[];
  checklist: ChecklistEntry[];
}

/** The DynamoDB table and every GSI: exist, ACTIVE, with the mapped key schema and projection. */
export async function dynamoChecks(client: DynamoDBClient, mapping: CompiledMapping): Promise<InfraResult> {
  try {
    const problems = await validateTable(client, mapping.table);
    const findings: ValidationFinding[] = problems.map((message) => ({
      check: 'dynamodb-table',
      severity: /TTL is not enabled/.test(message) ? 'warning' : 'error',
      column: /GSI (\S+)/.exec(message)?.[1],
      message: `table ${mapping.table.name}: ${message}`,
    }));
    const errors = findings.filter((f) => f.severity === 'error');
    return {
      findings,
      checklist: [
        {
          area: 'dynamodb',
          check: 'dynamodb-table',
          title: `table + ${mapping.table.gsis.length} GSI(s) ACTIVE, key schema`,
          status: errors.length > 0 ? 'fail' : findings.length > 0 ? 'warn' : 'ok',
          detail: findings.length === 0 ? `${mapping.table.name} ACTIVE, ${mapping.table.gsis.map((g) => g.name).join(', ') || 'no GSIs'}` : `${findings.length} problem(s)`,
        },
      ],
    };
  } catch (error) {
    return unreachable('dynamodb', 'dynamodb-table', 'DynamoDB reachable', `DynamoDB: ${errorMessage(error)}`, error);
  }
}

/** wal_level, slot capacity and state, the publication's tables (when the connector created them). */
export async function replicationChecks(pool: Pool, mapping: CompiledMapping, slot: string, publication: string, signalTable: string): Promise<InfraResult> {
  const findings: ValidationFinding[] = [];
  const state = await replicationReadiness(pool, slot, publication);
  if (state.walLevel !== 'logical') {
    findings.push({ check: 'wal-level', severity: 'error', message: `wal_level is ${state.walLevel}; logical decoding needs wal_level=logical (restart PostgreSQL after changing it)` });
  }
  if (!state.slot && state.freeReplicationSlots < 1) {
    findings.push({ check: 'replication-slot', severity: 'error', message: `no free replication slot (max_replication_slots=${state.maxReplicationSlots}, all used) for ${slot}` });
  }
  if (state.slot && state.slot.plugin !== 'pgoutput') {
    findings.push({ check: 'replication-slot', severity: 'error', message: `slot ${slot} uses plugin ${state.slot.plugin}, the connector needs pgoutput` });
  }
  if (state.slot && !state.slot.active) {
    findings.push({ check: 'replication-slot', severity: 'warning', message: `slot ${slot} exists but nothing reads it: PostgreSQL retains ${(state.slot.retainedWalBytes ?? 0).toLocaleString('en-US')} bytes of WAL for it` });
  }
  const keep = walKeepSizeAdvice(state, slot);
  findings.push(...keep.findings);
  if (state.publication && !state.publication.allTables) {
    for (const { schema, table } of mapping.sourceTables()) {
      if (!state.publication.tables.includes(`${schema}.${table}`)) {
        findings.push({ check: 'publication', severity: 'error', entity: mapping.entityFor(schema, table)?.name, message: `publication ${publication} does not include ${schema}.${table} (re-apply the connector)` });
      }
    }
    if (!state.publication.tables.includes(signalTable)) {
      findings.push({ check: 'publication', severity: 'warning', message: `publication ${publication} does not include the signal table ${signalTable}: \`pg2ddb snapshot\` adds it when it runs` });
    }
  }
  const status = (checks: string[]): ChecklistEntry['status'] => {
    const mine = findings.filter((f) => checks.includes(f.check));
    return mine.some((f) => f.severity === 'error') ? 'fail' : mine.length > 0 ? 'warn' : 'ok';
  };
  return {
    findings,
    checklist: [
      { area: 'replication', check: 'wal-level', title: 'wal_level=logical', status: status(['wal-level']), detail: `wal_level=${state.walLevel}` },
      {
        area: 'replication',
        check: 'replication-slot',
        title: 'replication slot',
        status: status(['replication-slot']),
        detail: state.slot ? `${slot} (${state.slot.active ? 'active' : 'inactive'})` : `${slot} not created yet (connector apply creates it); ${state.freeReplicationSlots} free`,
      },
      keep.checklist,
      {
        area: 'replication',
        check: 'publication',
        title: 'publication',
        status: status(['publication']),
        detail: state.publication ? `${publication}: ${state.publication.allTables ? 'ALL TABLES' : state.publication.tables.join(', ')}` : `${publication} not created yet (connector apply creates it)`,
      },
    ],
  };
}

/** Kafka answers a metadata request; Kafka Connect answers and has the Debezium PostgreSQL plugin. */
export async function messagingChecks(kafka: Kafka, connectUrl: string): Promise<InfraResult> {
  const findings: ValidationFinding[] = [];
  const checklist: ChecklistEntry[] = [];
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    checklist.push({ area: 'kafka', check: 'kafka', title: 'Kafka reachable', status: 'ok', detail: `${cluster.brokers.length} broker(s), controller ${cluster.controller}` });
  } catch (error) {
    const result = unreachable('kafka', 'kafka', 'Kafka reachable', `Kafka: ${errorMessage(error)}`, error);
    findings.push(...result.findings);
    checklist.push(...result.checklist);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  try {
    const root = (await (await fetch(`${connectUrl}/`, { signal: AbortSignal.timeout(10000) })).json()) as { version?: string };
    const plugins = (await (await fetch(`${connectUrl}/connector-plugins`, { signal: AbortSignal.timeout(10000) })).json()) as Array<{ class: string; version?: string }>;
    const debezium = plugins.find((plugin) => plugin.class === 'io.debezium.connector.postgresql.PostgresConnector');
    if (!debezium) findings.push({ check: 'connect', severity: 'error', message: `Kafka Connect at ${connectUrl} has no io.debezium.connector.postgresql.PostgresConnector plugin` });
    checklist.push({
      area: 'connect',
      check: 'connect',
      title: 'Kafka Connect + Debezium plugin',
      status: debezium ? 'ok' : 'fail',
      detail: `Connect ${root.version ?? '?'}${debezium ? `, Debezium ${debezium.version ?? '?'}` : ', Debezium plugin missing'}`,
    });
  } catch (error) {
    const result = unreachable('connect', 'connect', 'Kafka Connect reachable', `Kafka Connect at ${connectUrl}: ${errorMessage(error)}`, { code: 'CONNECT_UNREACHABLE', cause: error });
    findings.push(...result.findings);
    checklist.push(...result.checklist);
  }
  return { findings, checklist };
}

/** A dependency that did not answer: an `unreachable` finding (exit code 3). */
export function unreachable(area: ChecklistEntry['area'], check: string, title: string, message: string, error: unknown): InfraResult {
  const cannotReach = isUnreachable(error);
  return {
    findings: [{ check: cannotReach ? 'unreachable' : check, severity: 'error', message: cannotReach ? `cannot reach ${message}` : message }],
    checklist: [{ area, check, title, status: cannotReach ? 'unreachable' : 'fail', detail: message.slice(0, 120) }],
  };
}
