import { createDynamoClient, ensureTable, validateTable } from '@pg2ddb/dynamo';
import { settings } from '../cli-settings';
import { loadMappingFile } from '../load-mapping-file';

/**
 * `pg2ddb init --mapping FILE [--check]`: creates the DynamoDB table, its GSIs and TTL from the
 * mapping (idempotent), or with --check only validates an existing table.
 */
export async function initCommand(mappingPath: string, check: boolean, env: Record<string, string | undefined>, print: (line: string) => void): Promise<number> {
  const mapping = loadMappingFile(mappingPath);
  const client = createDynamoClient(settings.dynamo(env));
  try {
    if (check) {
      const problems = await validateTable(client, mapping.table);
      if (problems.length === 0) {
        print(`table ${mapping.table.name} matches the mapping`);
        return 0;
      }
      for (const problem of problems) print(`table ${mapping.table.name}: ${problem}`);
      return 1;
    }
    const result = await ensureTable(client, mapping.table, { onProgress: print });
    print(`table ${mapping.table.name} ${result.created ? 'created' : 'already exists and matches the mapping'}${result.ttlEnabled ? ` (TTL on ${mapping.table.ttlAttribute})` : ''}`);
    return 0;
  } finally {
    client.destroy();
  }
}
