import { directionHistory } from '@pg2ddb/postgres';

import { jsonOption, mappingOption, numberOption, stringOption } from '../framework/cli-args';
import type { CliCommand } from '../framework/cli-command';
import { ExitCode, UsageError } from '../framework/exit-codes';
import { PipelineContext } from '../framework/pipeline-context';
import { switchDirection } from '../direction/switch-direction';
import { readWayBackState } from '../direction/way-back-state';

/** `pg2ddb direction status|switch`: which way each entity syncs, and the drained switch between them. */
export const directionCommand: CliCommand = {
  name: 'direction',
  summary: 'which way each entity syncs (pg-to-ddb or ddb-to-pg); switch drains one direction and starts the other',
  usage: `usage: pg2ddb direction status --mapping FILE [--json]
       pg2ddb direction switch --to ddb-to-pg|pg-to-ddb --mapping FILE [--timeout SECONDS] [--json]

One direction per entity at a time (docs/rollback.md):
  switch --to ddb-to-pg   cut-over: drain the forward path, stop the connector, enable the table's
                          stream; the DynamoDB source and PostgreSQL writer then carry every
                          DynamoDB write back to PostgreSQL
  switch --to pg-to-ddb   rollback: drain the way back (stream read to its end, pg-writer lag 0),
                          advance the connector's slot past the way back's own writes (no echo),
                          resume the connector
Every switch is recorded in pg2ddb.direction_switches. A drain that does not finish within
--timeout (default 120 s) leaves the direction as it was.

exit: 0 switched / status shown, 1 refused (the reason is printed), 2 usage, 3 a dependency unreachable`,
  options: { ...mappingOption, ...jsonOption, to: { type: 'string' }, timeout: { type: 'string' } },
  async run({ values, positionals, env, print, json, emitJson }) {
    const action = positionals[0];
    if (action !== 'status' && action !== 'switch') throw new UsageError(`expected 'status' or 'switch', got ${action === undefined ? 'nothing' : `"${action}"`}`);
    const context = PipelineContext.open(values.mapping as string | undefined, env);
    try {
      if (action === 'status') {
        const state = await readWayBackState(context);
        const history = await directionHistory(context.pg, context.prefix);
        if (json) {
          emitJson({ ...state, history });
          return ExitCode.Ok;
        }
        print(`pg2ddb direction — ${context.mappingPath}, prefix ${context.prefix}`);
        const byEntity = new Map(state.directions.map((d) => [d.entity, d]));
        for (const entity of context.mapping.entities) {
          const direction = byEntity.get(entity.name);
          print(`  ${entity.name}: ${direction?.direction ?? 'pg-to-ddb (never switched)'}${direction ? ` since ${direction.switchedAt.toISOString()}` : ''}`);
        }
        print(`  way back: stream ${state.streamArn ?? 'off'}, source ${state.sourceStarted ? 'started' : 'not started'}, caught up ${state.streamCaughtUp ?? 'unknown'}, pg-writer lag ${state.pgWriterLag}`);
        for (const entry of history.slice(-10)) print(`  ${entry.switchedAt.toISOString()}  ${entry.entity}: ${entry.from} → ${entry.to}`);
        for (const error of state.errors) print(`  ! ${error}`);
        return ExitCode.Ok;
      }
      const to = stringOption(values, 'to', true);
      if (to !== 'ddb-to-pg' && to !== 'pg-to-ddb') throw new UsageError(`--to must be ddb-to-pg or pg-to-ddb, got "${to}"`);
      const timeoutMs = numberOption(values, 'timeout', 120, { min: 1 }) * 1000;
      const result = await switchDirection(context, to, timeoutMs, json ? () => undefined : print);
      if (json) emitJson(result);
      else print(result.switched ? `✅ switched to ${to}: ${JSON.stringify(result.evidence)}` : `❌ refused: ${result.reason}`);
      return result.switched ? ExitCode.Ok : ExitCode.Findings;
    } finally {
      await context.close();
    }
  },
};
