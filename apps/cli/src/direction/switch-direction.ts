import { ddbChangeTopic, topicNames } from '@pg2ddb/contracts';
import { ensureStream } from '@pg2ddb/dynamo';
import { ConnectClient } from '@pg2ddb/kafka';
import { advanceSlot, currentWalLsn, loadDirections, migratePg2ddbSchema, recordDirectionSwitch, type SyncDirection } from '@pg2ddb/postgres';
import { waitForPipeline } from '@pg2ddb/reconcile';

import { settings } from '../cli-settings';
import type { PipelineContext } from '../framework/pipeline-context';
import { readWayBackState } from './way-back-state';

/** The outcome of a switch: done, or refused with the reason (nothing changed then). */
export type SwitchResult = { switched: true; evidence: Record<string, unknown> } | { switched: false; reason: string };

/**
 * Switches every entity of the mapping to `to`, one direction at a time:
 * - to ddb-to-pg (cut-over): the forward path drains (every change committed so far is in
 *   DynamoDB), its connector is STOPPED, the table's stream is enabled; the DynamoDB source, idle
 *   until now, starts following the stream.
 * - to pg-to-ddb (rollback): the direction becomes `switching` (the source keeps reading), the way
 *   back drains (the stream read to its end, the PostgreSQL writer's lag 0), the connector's slot
 *   is advanced past the writer's own changes (so they are not sent back: no echo) and the
 *   connector resumed. A drain that times out is undone and refused.
 * Every switch is recorded in pg2ddb.direction_switches with its evidence.
 */
export async function switchDirection(context: PipelineContext, to: Exclude<SyncDirection, 'switching'>, timeoutMs: number, log: (line: string) => void): Promise<SwitchResult> {
  await migratePg2ddbSchema(context.pg, settings.postgres(context.env));
  const entities = context.mapping.entities.map((e) => e.name);
  const current = new Map((await loadDirections(context.pg, context.prefix)).map((d) => [d.entity, d.direction]));
  const connect = new ConnectClient(context.connectUrl, settings.connectAuth(context.env));
  if (to === 'ddb-to-pg') {
    const wrong = entities.filter((e) => (current.get(e) ?? 'pg-to-ddb') !== 'pg-to-ddb');
    if (wrong.length > 0) return { switched: false, reason: `already not pg-to-ddb: ${wrong.map((e) => `${e} (${current.get(e)})`).join(', ')}` };
    const connector = await connect.status(context.connectorName);
    let lsn: bigint | undefined;
    if (connector) {
      lsn = await currentWalLsn(context.pg);
      log(`draining the forward path up to WAL position ${lsn} ...`);
      const topics = topicNames(context.prefix);
      const drained = await waitForPipeline(
        context.pg,
        {
          kafka: context.kafka,
          slot: context.slot,
          groups: [
            { groupId: `${context.prefix}.transformer`, topics: context.mapping.sourceTables().map(({ schema, table }) => `${context.prefix}.${schema}.${table}`) },
            { groupId: `${context.prefix}.writer`, topics: [topics.writes] },
          ],
        },
        lsn,
        timeoutMs,
      );
      if (!drained) return { switched: false, reason: `the forward path did not drain within ${timeoutMs / 1000} s; nothing was switched` };
      await connect.stop(context.connectorName);
      await connect.waitUntilStopped(context.connectorName, timeoutMs);
      log(`connector ${context.connectorName} stopped`);
    }
    const streamArn = await ensureStream(context.dynamo, context.mapping.table.name, true);
    const evidence = { forwardDrainedToLsn: lsn?.toString() ?? null, connector: connector ? 'STOPPED' : 'ABSENT', streamArn };
    await recordDirectionSwitch(context.pg, context.prefix, entities, 'any', 'ddb-to-pg', { streamArn }, evidence);
    return { switched: true, evidence };
  }

  const wrong = entities.filter((e) => current.get(e) !== 'ddb-to-pg');
  if (wrong.length > 0) return { switched: false, reason: `not ddb-to-pg: ${wrong.map((e) => `${e} (${current.get(e) ?? 'pg-to-ddb'})`).join(', ')}` };
  await recordDirectionSwitch(context.pg, context.prefix, entities, 'ddb-to-pg', 'switching', { from: 'ddb-to-pg' }, { step: 'draining the way back' });
  log('draining the way back (stream read to its end, pg-writer lag 0) ...');
  const deadline = Date.now() + timeoutMs;
  let state = await readWayBackState(context);
  while (!(state.sourceStarted && state.streamCaughtUp === true && state.pgWriterLag === 0)) {
    if (Date.now() > deadline) {
      await recordDirectionSwitch(context.pg, context.prefix, entities, 'switching', 'ddb-to-pg', {}, { step: 'drain timed out; switched back' });
      const why = !state.sourceStarted ? 'the DynamoDB source never started' : state.streamCaughtUp !== true ? 'the stream is not read to its end' : `pg-writer lag ${state.pgWriterLag}`;
      return { switched: false, reason: `the way back did not drain within ${timeoutMs / 1000} s (${why}${state.errors.length ? `; ${state.errors.join('; ')}` : ''}); it stays ddb-to-pg` };
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    state = await readWayBackState(context);
  }
  const lsn = await currentWalLsn(context.pg);
  const connector = await connect.status(context.connectorName);
  if (connector) {
    if (connector.connector.state !== 'STOPPED') {
      await connect.stop(context.connectorName);
      await connect.waitUntilStopped(context.connectorName, timeoutMs);
    }
    await advanceSlot(context.pg, context.slot, lsn, timeoutMs);
    // Debezium refuses an offset below its slot's position: move its offsets to the same place.
    const offsets = await connect.offsets(context.connectorName);
    await connect.alterOffsets(context.connectorName, offsets.map((entry) => ({ partition: entry.partition, offset: entry.offset ? withLsn(entry.offset, lsn) : entry.offset })));
    log(`slot ${context.slot} and the connector's offsets advanced to WAL position ${lsn}: the way back's own writes stay in PostgreSQL`);
    await connect.resume(context.connectorName);
    await connect.waitUntilRunning(context.connectorName, timeoutMs);
  }
  const evidence = {
    wayBackDrained: true,
    topic: ddbChangeTopic(context.prefix, context.mapping.table.name),
    slotAdvancedToLsn: connector ? lsn.toString() : null,
    connector: connector ? 'RUNNING' : 'ABSENT',
  };
  await recordDirectionSwitch(context.pg, context.prefix, entities, 'switching', 'pg-to-ddb', { lsn: lsn.toString() }, evidence);
  return { switched: true, evidence };
}

/** A Debezium PostgreSQL offset moved to `lsn` (every `lsn*` position; the rest kept). */
export function withLsn(offset: Record<string, unknown>, lsn: bigint): Record<string, unknown> {
  const moved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(offset)) moved[key] = key.startsWith('lsn') && typeof value === 'number' ? Number(lsn) : value;
  if (!('lsn' in moved)) moved['lsn'] = Number(lsn);
  return moved;
}
