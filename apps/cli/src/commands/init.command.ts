import { createDynamoClient, ensureTable, ensureTombstoneTable, validateTable } from '@pg2ddb/dynamo';
import { settings } from '../cli-settings';
import type { CliCommand } from '../framework/cli-command';
import type { ProgressReporter } from '../framework/progress-reporter';
import { UsageError } from '../framework/exit-codes';
import { loadMappingFile } from '../load-mapping-file';

/**
 * `pg2ddb init --mapping FILE [--check]`: creates the DynamoDB table, its GSIs and TTL from the
 * mapping (idempotent), or with --check only validates an existing table.
 */
export async function initCommand(
  mappingPath: string,
  check: boolean,
  env: Record<string, string | undefined>,
  print: (line: string) => void,
  progress?: ProgressReporter,
  emitJson?: (value: unknown) => void,
): Promise<number> {
  const mapping = loadMappingFile(mappingPath);
  const client = createDynamoClient(settings.dynamo(env));
  try {
    if (check) {
      const problems = await validateTable(client, mapping.table);
      emitJson?.({ table: mapping.table.name, check: true, matches: problems.length === 0, problems });
      if (problems.length === 0) {
        print(`table ${mapping.table.name} matches the mapping`);
        return 0;
      }
      for (const problem of problems) print(`table ${mapping.table.name}: ${problem}`);
      return 1;
    }
    progress?.step(`ensuring table ${mapping.table.name} (${mapping.table.gsis.length} GSI(s)) as the mapping declares it`);
    const result = await ensureTable(client, mapping.table, { onProgress: (line) => progress?.step(line) });
    print(`table ${mapping.table.name} ${result.created ? 'created' : 'already exists and matches the mapping'}${result.ttlEnabled ? ` (TTL on ${mapping.table.ttlAttribute})` : ''}`);
    // The writer's record of deletes (docs/writer.md); created here so the writer needs no CreateTable permission.
    progress?.step(`ensuring the tombstone table of ${mapping.table.name}`);
    const tombstones = await ensureTombstoneTable(client, mapping.table.name);
    print(`tombstone table ${tombstones} ready (TTL on _expires)`);
    emitJson?.({ table: mapping.table.name, created: result.created, ttlEnabled: result.ttlEnabled, tombstoneTable: tombstones });
    return 0;
  } finally {
    client.destroy();
  }
}

/** `pg2ddb init`. */
export const initCliCommand: CliCommand = {
  name: 'init',
  summary: 'create the DynamoDB table, GSIs and TTL from the mapping (or --check them)',
  usage: `usage: pg2ddb init --mapping FILE [--check]

Creates the table, its GSIs and TTL as the mapping declares them (idempotent), or with --check
only compares an existing table with the mapping and lists every difference.

exit: 0 created / matches, 1 differences found, 2 usage, 3 DynamoDB unreachable`,
  options: { mapping: { type: 'string' }, check: { type: 'boolean', default: false } },
  uses: ['dynamo'],
  run: ({ values, env, print, progress, json, emitJson }) => {
    if (typeof values.mapping !== 'string') throw new UsageError('--mapping FILE is required');
    return initCommand(values.mapping, values.check === true, env, print, progress, json ? emitJson : undefined);
  },
};
