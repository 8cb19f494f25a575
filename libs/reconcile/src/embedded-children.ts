import { RESERVED_ATTRIBUTES, type AttributeMap, type AttributeValue } from '@pg2ddb/contracts';
import { mapRow, type CompiledEntity, type CompiledMapping } from '@pg2ddb/mapping';
import { readRowsByKeys, sourceColumnTypes, type KeysetSource, type RawRow } from '@pg2ddb/postgres';
import { attributeValuesEqual, type AttributeDifference, type ItemDiff } from '@pg2ddb/sync';
import type { Pool, PoolClient } from 'pg';

/** One embedded child entity of a parent entity: where its rows are and which map holds them. */
export interface ChildView {
  entity: CompiledEntity;
  /** The parent item's map attribute holding the children (`lines`). */
  attribute: string;
  /** The child table read by the columns that hold the parent's key (not its own primary key). */
  byParent: KeysetSource;
  /** Parent column → the child column holding it (the mapping's `keyColumns`). */
  columnMap: ReadonlyMap<string, string>;
  columnTypes: Readonly<Record<string, string>>;
}

/** Child row values per parent item (by the item key's identity), then per map path (`lines.3`). */
export type ExpectedChildren = Map<string, Map<string, AttributeValue>>;

/** The views of the entities embedded into `parent`, with their tables' column types. */
export async function childViews(pg: Pool, mapping: CompiledMapping, parent: CompiledEntity): Promise<ChildView[]> {
  const views: ChildView[] = [];
  for (const child of mapping.entities) {
    if (child.embedded?.parent !== parent.name) continue;
    const types = await sourceColumnTypes(pg, child.schema, child.table);
    const columnTypes: Record<string, string> = {};
    for (const column of child.columns) {
      const type = types.get(column);
      if (!child.columnTypes.has(column) && type) columnTypes[column] = type;
    }
    const columnMap = child.embedded.columnMap;
    views.push({
      entity: child,
      attribute: child.embedded.attribute,
      byParent: { schema: child.schema, table: child.table, columns: child.columns, primaryKey: [...columnMap.values()], types },
      columnMap,
      columnTypes,
    });
  }
  return views;
}

/**
 * Reads the child rows of the given parent rows (one query per child entity) and maps each to the
 * map entry the transformer writes for it, grouped by parent item (`identity` of its key). With
 * `withXmin`, also returns each parent item's child row versions, to tell whether a child changed
 * under a confirmation round.
 */
export async function readExpectedChildren(
  pg: Pool | PoolClient,
  children: readonly ChildView[],
  parentRows: readonly RawRow[],
  identity: (key: AttributeMap) => string,
  options: { lock?: 'FOR SHARE'; withXmin?: boolean } = {},
): Promise<{ expected: ExpectedChildren; versions: Map<string, string> }> {
  const expected: ExpectedChildren = new Map();
  const versions = new Map<string, string>();
  for (const child of children) {
    const filters = new Map<string, Record<string, string>>();
    for (const row of parentRows) {
      const filter: Record<string, string> = {};
      let complete = true;
      for (const [parentColumn, childColumn] of child.columnMap) {
        const value = row[parentColumn];
        if (value === null || value === undefined) complete = false;
        else filter[childColumn] = value;
      }
      if (complete) filters.set(JSON.stringify(filter), filter);
    }
    const rows = await readRowsByKeys(pg, child.byParent, [...filters.values()], options.lock, { withXmin: options.withXmin ?? false });
    for (const row of rows) {
      let mapped;
      try {
        mapped = mapRow(child.entity, row, { columnTypes: child.columnTypes });
      } catch {
        continue; // an unmappable child row's change sits in the DLQ: nothing is expected for it
      }
      if (mapped.kind !== 'embedded') continue;
      const id = identity(mapped.key);
      let entries = expected.get(id);
      if (!entries) expected.set(id, (entries = new Map()));
      entries.set(mapped.path, mapped.value);
      if (options.withXmin) versions.set(id, `${versions.get(id) ?? ''}|${mapped.path}@${row.__pg2ddb_xmin ?? ''}`);
    }
  }
  return { expected, versions };
}

/**
 * The differences between the child entries a parent item should hold (`expected`, from the child
 * rows) and the ones it holds, one per map entry, named by its path (`lines.3`). Each entry's own
 * `_ver` is the writer's and never counts.
 */
export function diffChildren(children: readonly ChildView[], expected: ReadonlyMap<string, AttributeValue> | undefined, actual: AttributeMap | undefined): AttributeDifference[] {
  const differences: AttributeDifference[] = [];
  for (const child of children) {
    const stored = actual?.[child.attribute];
    const entries = stored && 'M' in stored ? stored.M : {};
    const prefix = `${child.attribute}.`;
    const wanted = new Map([...(expected ?? new Map<string, AttributeValue>())].filter(([path]) => path.startsWith(prefix)));
    for (const [path, want] of wanted) {
      const got = entries[path.slice(prefix.length)];
      if (got === undefined) differences.push({ name: path, expected: want, actual: null });
      else if (!attributeValuesEqual(want, withoutVersion(got))) differences.push({ name: path, expected: want, actual: got });
    }
    for (const [childKey, got] of Object.entries(entries)) {
      if (!wanted.has(`${prefix}${childKey}`)) differences.push({ name: `${prefix}${childKey}`, expected: null, actual: got });
    }
  }
  return differences.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Folds child differences into the parent item's own diff: a missing or unexpected item already
 * says everything; otherwise differing children make the item a mismatch.
 */
export function withChildDifferences(diff: ItemDiff | undefined, childDifferences: readonly AttributeDifference[], actual: AttributeMap | undefined): ItemDiff | undefined {
  if (childDifferences.length === 0 || actual === undefined) return diff;
  if (diff && diff.kind !== 'mismatch') return diff;
  const version = actual[RESERVED_ATTRIBUTES.version];
  const attributes = [...(diff?.attributes ?? []), ...childDifferences].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    kind: 'mismatch',
    attributes,
    expectedVersion: diff?.expectedVersion ?? null,
    actualVersion: diff?.actualVersion ?? (version && 'S' in version ? version.S : null),
  };
}

function withoutVersion(value: AttributeValue): AttributeValue {
  if (!('M' in value) || !(RESERVED_ATTRIBUTES.version in value.M)) return value;
  const { [RESERVED_ATTRIBUTES.version]: _version, ...rest } = value.M;
  return { M: rest };
}
