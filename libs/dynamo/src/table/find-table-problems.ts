import type { KeySchemaElement, TableDescription, TimeToLiveDescription } from '@aws-sdk/client-dynamodb';
import type { GsiSpec, KeyAttribute, TableSpec } from '@pg2ddb/contracts';

/** What kind of difference between a table and its spec; ensureTable repairs only `ttl-disabled`. */
export type TableProblemKind =
  | 'table-missing'
  | 'table-status'
  | 'key-schema'
  | 'gsi-missing'
  | 'gsi-key-schema'
  | 'gsi-projection'
  | 'gsi-status'
  | 'ttl-disabled'
  | 'ttl-other-attribute'
  | 'ttl-unexpected';

/** One difference, with a message an operator can act on. */
export interface TableProblem {
  kind: TableProblemKind;
  message: string;
}

/**
 * Compares a described table (and its TTL description) with the spec and lists EVERY difference:
 * key schema names and types, missing GSIs, GSI key schema and projection, table or GSI not
 * ACTIVE, TTL disabled, on another attribute, or on where the spec has none. GSIs the spec does
 * not mention are allowed (operators may add their own). Pure: no I/O.
 */
export function findTableProblems(
  spec: TableSpec,
  table: TableDescription | undefined,
  ttl: TimeToLiveDescription | undefined,
): TableProblem[] {
  if (table === undefined) return [{ kind: 'table-missing', message: `table ${spec.name} does not exist` }];
  const problems: TableProblem[] = [];
  const types = new Map<string, string | undefined>();
  for (const definition of table.AttributeDefinitions ?? []) {
    if (definition.AttributeName !== undefined) types.set(definition.AttributeName, definition.AttributeType);
  }
  const describe = (element: KeySchemaElement | undefined): string =>
    element?.AttributeName === undefined ? 'none' : `${element.AttributeName} (${types.get(element.AttributeName) ?? '?'})`;
  const compareKeys = (
    where: string,
    kind: 'key-schema' | 'gsi-key-schema',
    expected: { partitionKey: KeyAttribute; sortKey?: KeyAttribute | undefined },
    schema: KeySchemaElement[] | undefined,
  ): void => {
    const hash = schema?.find((element) => element.KeyType === 'HASH');
    const range = schema?.find((element) => element.KeyType === 'RANGE');
    const wantHash = format(expected.partitionKey);
    const wantRange = format(expected.sortKey);
    if (describe(hash) !== wantHash) {
      problems.push({ kind, message: `${where}partition key: expected ${wantHash}, found ${describe(hash)}` });
    }
    if (describe(range) !== wantRange) {
      problems.push({ kind, message: `${where}sort key: expected ${wantRange}, found ${describe(range)}` });
    }
  };

  if (table.TableStatus !== 'ACTIVE') {
    problems.push({ kind: 'table-status', message: `table is ${table.TableStatus ?? 'in an unknown state'}, not ACTIVE` });
  }
  compareKeys('', 'key-schema', spec, table.KeySchema);

  for (const gsi of spec.gsis) {
    const index = table.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === gsi.name);
    if (index === undefined) {
      problems.push({ kind: 'gsi-missing', message: `GSI ${gsi.name} is missing` });
      continue;
    }
    compareKeys(`GSI ${gsi.name} `, 'gsi-key-schema', gsi, index.KeySchema);
    const wantProjection = formatProjection(gsi.projection);
    const foundProjection = formatFoundProjection(index.Projection?.ProjectionType, index.Projection?.NonKeyAttributes);
    if (wantProjection !== foundProjection) {
      problems.push({
        kind: 'gsi-projection',
        message: `GSI ${gsi.name} projection: expected ${wantProjection}, found ${foundProjection}`,
      });
    }
    if (index.IndexStatus !== 'ACTIVE') {
      problems.push({ kind: 'gsi-status', message: `GSI ${gsi.name} is ${index.IndexStatus ?? 'in an unknown state'}, not ACTIVE` });
    }
  }

  const ttlOn = ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING' ? ttl.AttributeName : undefined;
  if (spec.ttlAttribute !== undefined) {
    if (ttlOn === undefined) {
      problems.push({ kind: 'ttl-disabled', message: `TTL is not enabled (expected on ${spec.ttlAttribute})` });
    } else if (ttlOn !== spec.ttlAttribute) {
      problems.push({ kind: 'ttl-other-attribute', message: `TTL is enabled on ${ttlOn}, expected on ${spec.ttlAttribute}` });
    }
  } else if (ttlOn !== undefined) {
    // DynamoDB would silently delete items whose `ttlOn` attribute the mapping writes as plain data.
    problems.push({ kind: 'ttl-unexpected', message: `TTL is enabled on ${ttlOn} but the spec declares no TTL attribute` });
  }
  return problems;
}

function format(attribute: KeyAttribute | undefined): string {
  return attribute === undefined ? 'none' : `${attribute.name} (${attribute.type})`;
}

function formatProjection(projection: GsiSpec['projection'] | undefined): string {
  if (projection === undefined || projection === 'ALL') return 'ALL';
  if (projection === 'KEYS_ONLY') return 'KEYS_ONLY';
  return formatFoundProjection('INCLUDE', projection.include);
}

function formatFoundProjection(type: string | undefined, nonKeyAttributes: string[] | undefined): string {
  if (type !== 'INCLUDE') return type ?? 'none';
  return `INCLUDE [${[...(nonKeyAttributes ?? [])].sort().join(', ')}]`;
}
