import { mapRow, parseColumnType } from '@pg2ddb/mapping';
import { describeSourceTable, sampleTableRows, tableStatistics, type TableStatistics } from '@pg2ddb/postgres';
import { jsonOption, mappingOption, numberOption } from '../framework/cli-args';
import type { CliCommand } from '../framework/cli-command';
import { ExitCode } from '../framework/exit-codes';
import { PipelineContext } from '../framework/pipeline-context';
import { textTable } from '../framework/text-table';
import { estimateCapacity, itemCost, PRICE_DEFAULTS, type EntitySizing, type ItemCost, type Prices } from '../estimate/capacity-model';
import { readColumnSql } from '../validate/source-sql';

const PRICE_FLAGS: Array<[keyof Prices, string, string]> = [
  ['wruPerMillion', 'price-wru', 'PG2DDB_PRICE_WRU'],
  ['rruPerMillion', 'price-rru', 'PG2DDB_PRICE_RRU'],
  ['wcuHour', 'price-wcu-hour', 'PG2DDB_PRICE_WCU_HOUR'],
  ['rcuHour', 'price-rcu-hour', 'PG2DDB_PRICE_RCU_HOUR'],
  ['gbMonth', 'price-gb-month', 'PG2DDB_PRICE_GB_MONTH'],
];

/**
 * `pg2ddb estimate`: item sizes, WCU/RCU for the initial load and steady state, GSI write
 * amplification and a monthly cost table, from PostgreSQL statistics and sampled rows mapped
 * with the real mapping (so item sizes are what the transformer would write).
 */
export const estimateCommand: CliCommand = {
  name: 'estimate',
  uses: ['postgres'],
  summary: 'item sizes, WCU/RCU for load and steady state, GSI amplification, on-demand vs provisioned cost',
  usage: `usage: pg2ddb estimate --mapping FILE [options]

Per entity: rows (pg_class.reltuples), average row width (pg_stats), item sizes of sampled rows
mapped with the mapping library (TABLESAMPLE), write units per write including every GSI the item
projects into (sparse GSIs count only where the item has the key), the change rate
(pg_stat_user_tables inserts + updates + deletes over --window seconds, or since the statistics
were reset with --window 0). Then write units for the initial load and per second in steady
state, reads (full reconciliation scans + application reads), storage, and monthly costs.

  --sample N                 rows sampled per entity (default 200)
  --window S                 seconds to measure the change rate (default 10; 0 = since stats reset)
  --load-hours H             provisioned initial load spread over H hours (default 24)
  --target-utilization R     provisioned capacity utilisation target (default 0.7)
  --full-reconciles N        full reconciliation scans per month (default 30)
  --app-reads S              application reads per second against DynamoDB (default 0)
  --price-wru USD            on-demand, per million write request units  (default 0.625)
  --price-rru USD            on-demand, per million read request units   (default 0.125)
  --price-wcu-hour USD       provisioned, per WCU-hour                   (default 0.00065)
  --price-rcu-hour USD       provisioned, per RCU-hour                   (default 0.00013)
  --price-gb-month USD       storage, per GB-month                       (default 0.25)
  (or PG2DDB_PRICE_WRU, PG2DDB_PRICE_RRU, PG2DDB_PRICE_WCU_HOUR, PG2DDB_PRICE_RCU_HOUR,
  PG2DDB_PRICE_GB_MONTH). Defaults: us-east-1 list prices, Standard table class, free tier
  ignored, looked up 2026-11-22 (aws.amazon.com/dynamodb/pricing; on-demand after the November
  2024 reduction). Check the current prices of your region.
  --json                     one JSON document

exit: 0 estimated, 2 usage, 3 PostgreSQL unreachable`,
  options: {
    ...mappingOption,
    ...jsonOption,
    sample: { type: 'string' },
    window: { type: 'string' },
    'load-hours': { type: 'string' },
    'target-utilization': { type: 'string' },
    'full-reconciles': { type: 'string' },
    'app-reads': { type: 'string' },
    ...Object.fromEntries(PRICE_FLAGS.map(([, flag]) => [flag, { type: 'string' as const }])),
  },
  async run({ values, env, print, json, emitJson }) {
    const context = PipelineContext.open(values.mapping as string | undefined, env);
    const prices = { ...PRICE_DEFAULTS };
    for (const [key, flag, variable] of PRICE_FLAGS) {
      const fromEnv = env[variable];
      prices[key] = numberOption({ [flag]: values[flag] ?? fromEnv }, flag, PRICE_DEFAULTS[key], { min: 0 });
    }
    const sample = numberOption(values, 'sample', 200, { min: 1, max: 100000, integer: true });
    const windowSeconds = numberOption(values, 'window', 10, { min: 0, max: 3600 });
    const options = {
      prices,
      loadHours: numberOption(values, 'load-hours', 24, { min: 0.01 }),
      targetUtilization: numberOption(values, 'target-utilization', 0.7, { min: 0.05, max: 1 }),
      fullReconcilesPerMonth: numberOption(values, 'full-reconciles', 30, { min: 0 }),
      appReadsPerSecond: numberOption(values, 'app-reads', 0, { min: 0 }),
    };
    try {
      const entities = context.mapping.entities.filter((entity) => entity.mode === 'item');
      const before = new Map<string, TableStatistics>();
      for (const entity of entities) before.set(entity.name, await tableStatistics(context.pg, entity.schema, entity.table, entity.columns));
      const measuredFrom = Date.now();
      const sizings: EntitySizing[] = [];
      const details: Array<{ entity: string; rows: number; rowsSource: string; avgRowWidth?: number; sampled: number; unmappable: number; changeRateSource: string }> = [];
      for (const entity of entities) {
        const stats = before.get(entity.name)!;
        const rows = stats.reltuples >= 0 ? Math.round(stats.reltuples) : stats.liveTuples;
        const table = await describeSourceTable(context.pg, entity.schema, entity.table);
        const live = new Map(table.columns.map((column) => [column.name, column]));
        const columnTypes: Record<string, string> = {};
        for (const column of entity.columns) {
          const info = live.get(column);
          if (!info || entity.columnTypes.has(column)) continue;
          const name = info.isEnum ? (info.isArray ? '_enum' : 'enum') : info.udtName;
          if (parseColumnType(name)) columnTypes[column] = name;
        }
        const sampled = await sampleTableRows(context.pg, entity.schema, entity.table, entity.columns.map((c) => readColumnSql(c, live.get(c))), sample, rows);
        const samples: ItemCost[] = [];
        let unmappable = 0;
        for (const row of sampled) {
          try {
            const mapped = mapRow(entity, row, { columnTypes });
            if (mapped.kind === 'item') samples.push(itemCost(mapped.item, context.mapping.table));
          } catch {
            unmappable++;
          }
        }
        sizings.push({ entity: entity.name, rows, samples, changesPerSecond: 0 });
        details.push({ entity: entity.name, rows, rowsSource: stats.reltuples >= 0 ? 'pg_class.reltuples' : 'n_live_tup', ...(stats.avgRowWidth !== undefined ? { avgRowWidth: stats.avgRowWidth } : {}), sampled: sampled.length, unmappable, changeRateSource: '' });
      }
      // Change rate: the activity counters' growth over the window (or since they were reset).
      if (windowSeconds > 0) await new Promise((resolve) => setTimeout(resolve, Math.max(0, windowSeconds * 1000 - (Date.now() - measuredFrom))));
      for (const [index, entity] of entities.entries()) {
        const first = before.get(entity.name)!;
        const changes = (s: TableStatistics) => s.inserts + s.updates + s.deletes;
        if (windowSeconds > 0) {
          const after = await tableStatistics(context.pg, entity.schema, entity.table, entity.columns);
          sizings[index]!.changesPerSecond = Math.max(0, changes(after) - changes(first)) / ((Date.now() - measuredFrom) / 1000);
          details[index]!.changeRateSource = `over ${Math.round((Date.now() - measuredFrom) / 1000)} s`;
        } else {
          const since = first.statsReset ? (Date.now() - first.statsReset.getTime()) / 1000 : 0;
          sizings[index]!.changesPerSecond = since > 0 ? changes(first) / since : 0;
          details[index]!.changeRateSource = first.statsReset ? `since ${first.statsReset.toISOString()}` : 'no stats reset time';
        }
      }
      const estimate = estimateCapacity(sizings, options);
      if (json) {
        emitJson({ prices, options: { ...options, sample, windowSeconds }, entities: estimate.entities.map((e, i) => ({ ...details[i], ...e, changesPerSecond: sizings[i]!.changesPerSecond })), totals: { ...estimate, entities: undefined } });
        return ExitCode.Ok;
      }
      const n = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
      const usd = (value: number) => `$${value.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 })}`;
      print(`pg2ddb estimate — ${context.mappingPath} → ${context.mapping.table.name}`);
      print('');
      for (const line of textTable([
        ['entity', 'rows', 'row width', 'item avg', 'item max', 'WCU/write', 'GSI ampl.', 'changes/s', 'load WCU', 'sampled'],
        ...estimate.entities.map((e, i) => [
          e.entity,
          n(e.rows),
          details[i]!.avgRowWidth !== undefined ? `${n(details[i]!.avgRowWidth!)} B` : '?',
          `${n(e.avgItemBytes)} B`,
          `${n(e.maxItemBytes)} B`,
          n(e.avgWcuPerWrite, 2),
          `×${n(e.gsiAmplification, 2)}`,
          n(sizings[i]!.changesPerSecond, 2),
          n(e.loadWriteUnits),
          `${details[i]!.sampled}${details[i]!.unmappable ? ` (${details[i]!.unmappable} unmappable)` : ''}`,
        ]),
      ])) {
        print(`  ${line}`);
      }
      print('');
      print(`  initial load: ${n(estimate.loadWriteUnits)} write units (provisioned over ${options.loadHours} h: ${n(estimate.loadProvisionedWcu)} WCU)`);
      print(`  steady state: ${n(estimate.steadyWriteUnitsPerSecond, 2)} write units/s, ${n(estimate.steadyReadUnitsPerSecond, 3)} read units/s → provisioned ${estimate.provisionedWcu} WCU / ${estimate.provisionedRcu} RCU at ${Math.round(options.targetUtilization * 100)}% utilisation`);
      print(`  storage: ${n(estimate.storageGb, 3)} GB (items + GSIs + 100 B/item overhead)`);
      print('');
      for (const line of textTable([
        ['billing', 'initial load (once)', 'writes/month', 'reads/month', 'storage/month', 'total/month'],
        ...estimate.costs.map((c) => [c.mode, usd(c.initialLoad), usd(c.steadyWrites), usd(c.steadyReads), usd(c.storage), usd(c.monthly)]),
      ])) {
        print(`  ${line}`);
      }
      print('');
      print(`  prices: $${prices.wruPerMillion}/M WRU, $${prices.rruPerMillion}/M RRU, $${prices.wcuHour}/WCU-h, $${prices.rcuHour}/RCU-h, $${prices.gbMonth}/GB-month (defaults: us-east-1 list, 2026-11-22)`);
      return ExitCode.Ok;
    } finally {
      await context.close();
    }
  },
};
