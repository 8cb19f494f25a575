import type { KeyAttribute } from '@pg2ddb/contracts';

import { isTtlSource, neverRendersEmpty, refusedTypeReason } from './column-type';
import { attributeColumns, declaredColumns, type DeclaredColumn } from './column-declarations';
import { parseDuration } from '../values/iso-duration';
import { parseTemplate, type KeyTemplate } from './key-template';
import type { EntityDefinition, GsiDefinition, Mapping } from './mapping-definition';
import { typeFamily } from '../types/type-registry';

/** What the whole-mapping checks need to know about one table and its entities. */
export interface TableFacts {
  mapping: Mapping;
  tableKeys: Map<string, string>;
  gsis: Map<string, GsiDefinition>;
  reserved: Set<string>;
  entityTypeAttribute: string;
}

/** What one entity's checks found, for the cross-entity checks. */
export interface EntityFacts {
  entity: EntityDefinition;
  mode: 'item' | 'embedded';
  columns: Map<string, DeclaredColumn>;
  pk?: KeyTemplate;
  sk?: KeyTemplate;
  /** Data attribute name → column. */
  attributes: Map<string, string>;
}

/** Checks one entity; reports each problem through `report` as `field: problem`. */
export function validateEntity(entity: EntityDefinition, table: TableFacts, report: (problem: string) => void): EntityFacts {
  const columns = declaredColumns(entity);
  const columnList = `(columns: ${[...columns.keys()].join(', ')})`;
  const mode = entity.parent?.mode ?? 'item';
  const facts: EntityFacts = { entity, mode, columns, attributes: new Map() };

  if (Array.isArray(entity.columns)) {
    const seen = new Set<string>();
    for (const name of entity.columns) {
      if (seen.has(name)) report(`columns lists "${name}" twice`);
      seen.add(name);
    }
  }
  for (const column of columns.values()) {
    if (column.typeName && !column.type) {
      const refused = refusedTypeReason(column.typeName);
      report(
        refused
          ? `columns.${column.name} has type "${column.typeName}", which pg2ddb cannot carry exactly: ${refused}`
          : `columns.${column.name} has unknown type "${column.typeName}" (see docs/type-mapping.md for the types the mapping knows)`,
      );
    }
  }
  for (const column of entity.primaryKey) {
    if (!columns.has(column)) report(`primaryKey names unknown column "${column}" ${columnList}`);
  }

  const template = (label: string, source: string): KeyTemplate | undefined => {
    const parsed = parseTemplate(source);
    if (!parsed.ok) {
      for (const problem of parsed.problems) report(`${label} template ${JSON.stringify(source)} ${problem}`);
      return undefined;
    }
    const unknown = parsed.template.columns.filter((c) => !columns.has(c));
    for (const column of unknown) report(`${label} template ${JSON.stringify(source)} references unknown column "${column}" ${columnList}`);
    return unknown.length === 0 ? parsed.template : undefined;
  };

  const typedKey = (label: string, t: KeyTemplate, attribute: KeyAttribute) => {
    if (attribute.type === 'S') return;
    const only = t.placeholders.length === 1 && t.parts.length === 1 ? t.placeholders[0] : undefined;
    if (!only || only.formatter) {
      report(`${label} template ${JSON.stringify(t.source)} must be a single placeholder without formatter because attribute "${attribute.name}" has type ${attribute.type}`);
      return;
    }
    const type = columns.get(only.column)?.type;
    if (type && (type.array || typeFamily(type).form !== attribute.type)) {
      report(`${label} template ${JSON.stringify(t.source)} puts column "${only.column}" of type ${type.declared} into attribute "${attribute.name}" of type ${attribute.type}`);
    }
  };

  if (mode === 'item') {
    const key = entity.key;
    if (!key) {
      report('key is required (or set parent.mode: embedded)');
    } else {
      const tableDef = table.mapping.table;
      const pk = template('key.pk', key.pk);
      if (pk && checkItemKeyTemplate('key.pk', pk, tableDef.partitionKey, columns, report, typedKey)) facts.pk = pk;
      if (tableDef.sortKey && key.sk === undefined) {
        report(`key.sk is required because table "${tableDef.name}" has sort key "${tableDef.sortKey.name}"`);
      } else if (!tableDef.sortKey && key.sk !== undefined) {
        report(`key.sk is set but table "${tableDef.name}" has no sort key`);
      } else if (key.sk !== undefined && tableDef.sortKey) {
        const sk = template('key.sk', key.sk);
        if (sk && checkItemKeyTemplate('key.sk', sk, tableDef.sortKey, columns, report, typedKey)) facts.sk = sk;
      }
      // Only when both templates are usable, so one mistake is reported once.
      if (facts.pk && (tableDef.sortKey ? facts.sk : key.sk === undefined)) {
        const referenced = new Set([...facts.pk.columns, ...(facts.sk?.columns ?? [])]);
        const missing = entity.primaryKey.filter((c) => columns.has(c) && !referenced.has(c));
        if (missing.length > 0) {
          report(`key templates do not reference primary key ${plural(missing, 'column')}: two rows would map to the same item`);
        }
      }
    }
  } else {
    if (entity.key) report('key is not used by an embedded child (it lives inside the parent item)');
    if (entity.gsis) report('gsis cannot be used by an embedded child');
    if (entity.ttl) report('ttl cannot be used by an embedded child');
    if (!entity.parent?.attribute) report('parent.attribute is required for mode embedded (the parent map attribute, e.g. "items")');
    else if (entity.parent.attribute.includes('.')) report(`parent.attribute "${entity.parent.attribute}" must not contain "."`);
    else if (table.reserved.has(entity.parent.attribute)) report(`parent.attribute "${entity.parent.attribute}" is a reserved attribute name`);
    if (entity.parent?.childKey !== undefined) {
      const childKey = template('parent.childKey', entity.parent.childKey);
      if (childKey) {
        const covered = new Set([...childKey.columns, ...Object.values(entity.parent.keyColumns ?? {})]);
        const missing = entity.primaryKey.filter((c) => columns.has(c) && !covered.has(c));
        if (missing.length > 0) report(`parent.childKey does not reference primary key ${plural(missing, 'column')}: two children would share one map entry`);
      }
    }
  }
  if (mode === 'item' && entity.parent && (entity.parent.attribute !== undefined || entity.parent.childKey !== undefined)) {
    report('parent.attribute and parent.childKey are only used by mode embedded');
  }

  validateGsis(entity, table, template, typedKey, report);
  validateAttributes(entity, columns, columnList, table, facts, report);
  validateTtl(entity, columns, columnList, table, report);
  return facts;
}

function checkItemKeyTemplate(
  label: string,
  t: KeyTemplate,
  attribute: KeyAttribute,
  columns: Map<string, DeclaredColumn>,
  report: (problem: string) => void,
  typedKey: (label: string, t: KeyTemplate, attribute: KeyAttribute) => void,
): boolean {
  if (attribute.type !== 'S') {
    typedKey(label, t, attribute);
    return true;
  }
  if (t.source === '') {
    report(`${label} template "" is empty`);
    return false;
  }
  if (t.hasLiteral) return true;
  const guaranteed = t.placeholders.some((p) => p.formatter && p.formatter.name !== 'lower' && p.formatter.name !== 'upper');
  const emptyable = t.columns.filter((c) => !neverRendersEmpty(columns.get(c)?.type));
  if (guaranteed || emptyable.length < t.columns.length) return true;
  const first = emptyable[0]!;
  report(
    `${label} template ${JSON.stringify(t.source)} can yield an empty key: it has no literal text and ${plural(emptyable, 'column')} may be ${
      emptyable.length === 1 ? 'an empty string' : 'empty strings'
    }; add a literal prefix (e.g. "${first.toUpperCase()}#{${first}}") or declare a non-text column type`,
  );
  return true;
}

function validateGsis(
  entity: EntityDefinition,
  table: TableFacts,
  template: (label: string, source: string) => KeyTemplate | undefined,
  typedKey: (label: string, t: KeyTemplate, attribute: KeyAttribute) => void,
  report: (problem: string) => void,
): void {
  const setBy = new Map<string, string>();
  for (const [name, templates] of Object.entries(entity.gsis ?? {})) {
    const gsi = table.gsis.get(name);
    if (!gsi) {
      const known = [...table.gsis.keys()];
      report(`gsis.${name} names no GSI of table "${table.mapping.table.name}" ${known.length ? `(GSIs: ${known.join(', ')})` : '(the table has no GSIs)'}`);
      continue;
    }
    const parts = [
      ['pk', gsi.partitionKey, 'partition key'],
      ['sk', gsi.sortKey, 'sort key'],
    ] as const;
    for (const [part, attribute, role] of parts) {
      const source = templates[part];
      const label = `gsis.${name}.${part}`;
      if (!attribute) {
        if (source !== undefined) report(`${label} is set but GSI "${name}" has no sort key`);
        continue;
      }
      const tableRole = table.tableKeys.get(attribute.name);
      if (tableRole) {
        if (source !== undefined) report(`${label} is not used: GSI "${name}" ${role} "${attribute.name}" is the table's ${tableRole}, set by the key templates`);
        continue;
      }
      if (source === undefined) {
        report(`gsis.${name} has no ${part} template for GSI ${role} "${attribute.name}"`);
        continue;
      }
      const other = setBy.get(attribute.name);
      if (other) report(`${label} sets attribute "${attribute.name}", which ${other} also sets`);
      setBy.set(attribute.name, label);
      const t = template(label, source);
      if (t) typedKey(label, t, attribute);
    }
  }
}

function validateAttributes(
  entity: EntityDefinition,
  columns: Map<string, DeclaredColumn>,
  columnList: string,
  table: TableFacts,
  facts: EntityFacts,
  report: (problem: string) => void,
): void {
  const spec = entity.attributes ?? {};
  for (const field of ['include', 'exclude'] as const) {
    for (const column of spec[field] ?? []) {
      if (!columns.has(column)) report(`attributes.${field} names unknown column "${column}" ${columnList}`);
    }
  }
  const rename = spec.rename ?? {};
  for (const [column, attribute] of Object.entries(rename)) {
    if (!columns.has(column)) report(`attributes.rename names unknown column "${column}" ${columnList}`);
    else if (table.reserved.has(attribute)) report(`attributes.rename maps column "${column}" to reserved attribute "${attribute}"`);
  }
  const ttlAttribute = table.mapping.table.ttlAttribute;
  for (const { column, attribute } of attributeColumns(entity, columns)) {
    const renamed = Object.prototype.hasOwnProperty.call(rename, column);
    if (table.reserved.has(attribute)) {
      if (!renamed) report(`column "${column}" would be stored as reserved attribute "${attribute}"; rename or exclude it`);
      continue;
    }
    const problem = attribute.includes('.')
      ? 'contains "." (update paths use "." to reach into maps)'
      : table.tableKeys.has(attribute) || [...table.gsis.values()].some((g) => g.partitionKey.name === attribute || g.sortKey?.name === attribute)
        ? 'is a key attribute of the table or a GSI'
        : attribute === table.entityTypeAttribute
          ? 'is the entity type attribute'
          : attribute === ttlAttribute
            ? "is the table's TTL attribute"
            : undefined;
    if (problem) report(`attribute "${attribute}" of column "${column}" ${problem}; rename or exclude it`);
    const previous = facts.attributes.get(attribute);
    if (previous !== undefined) report(`columns "${previous}" and "${column}" would both be stored as attribute "${attribute}"`);
    else facts.attributes.set(attribute, column);
  }
}

function validateTtl(
  entity: EntityDefinition,
  columns: Map<string, DeclaredColumn>,
  columnList: string,
  table: TableFacts,
  report: (problem: string) => void,
): void {
  const ttl = entity.ttl;
  if (!ttl) return;
  if (!table.mapping.table.ttlAttribute) report('ttl is set but the table has no ttlAttribute');
  const column = columns.get(ttl.column);
  if (!column) report(`ttl.column "${ttl.column}" is not a declared column ${columnList}`);
  else if (column.type && !isTtlSource(column.type)) {
    report(`ttl.column "${ttl.column}" has type ${column.type.declared}; use a date, timestamp, timestamptz or integer (epoch seconds) column`);
  }
  if (ttl.offset !== undefined && !parseDuration(ttl.offset)) {
    report(`ttl.offset ${JSON.stringify(ttl.offset)} is not an ISO-8601 duration (e.g. "P7Y", "P30D", "PT12H")`);
  }
}

/** `column "a"` / `columns "a", "b"`. */
export function plural(names: readonly string[], noun: string): string {
  return `${noun}${names.length === 1 ? '' : 's'} ${names.map((n) => `"${n}"`).join(', ')}`;
}
