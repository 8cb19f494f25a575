import { loadMappingFile } from '../load-mapping-file';

/** `pg2ddb validate --mapping FILE`: checks the mapping and prints what it will produce. */
export function validateCommand(mappingPath: string, print: (line: string) => void): void {
  const mapping = loadMappingFile(mappingPath);
  print(`${mappingPath}: OK`);
  print(`table ${mapping.table.name}: ${mapping.table.partitionKey.name}${mapping.table.sortKey ? ` + ${mapping.table.sortKey.name}` : ''}, ${mapping.table.gsis.length} GSI(s)${mapping.table.ttlAttribute ? `, TTL on ${mapping.table.ttlAttribute}` : ''}`);
  for (const entity of mapping.entities) {
    print(`  ${entity.name} <- ${entity.schema}.${entity.table} (${entity.mode}, key columns: ${entity.keyColumns.join(', ')})`);
  }
}
