import { RESERVED_ATTRIBUTES } from '@pg2ddb/contracts';

import { DEFAULT_ENTITY_TYPE_ATTRIBUTE, sourceName } from './column-declarations';
import { mayRenderSame } from './key-overlap';
import type { GsiDefinition, Mapping } from './mapping-definition';
import { plural, validateEntity, type EntityFacts, type TableFacts } from './validate-entity';

/**
 * The checks a JSON schema cannot express, on a mapping that already passed the schema. Returns
 * every problem (not just the first), each as `<file>: <entity or table>: <field> <problem>`.
 */
export function validateMapping(mapping: Mapping, fileName: string): string[] {
  const issues: string[] = [];
  const table = validateTable(mapping, (problem) => issues.push(`${fileName}: ${problem}`));

  const facts: EntityFacts[] = [];
  const names = new Set<string>();
  const sources = new Map<string, string>();
  for (const entity of mapping.entities) {
    const report = (problem: string) => issues.push(`${fileName}: entity "${entity.name}": ${problem}`);
    if (names.has(entity.name)) report('is declared twice; entity names must be unique');
    names.add(entity.name);
    const source = sourceName(entity);
    const other = sources.get(source);
    if (other !== undefined) {
      issues.push(`${fileName}: entities "${other}" and "${entity.name}" both map source table ${source}; map each table once`);
    }
    sources.set(source, entity.name);
    facts.push(validateEntity(entity, table, report));
  }

  validateParents(facts, (entity, problem) => issues.push(`${fileName}: entity "${entity}": ${problem}`));
  validateKeyOverlap(mapping, facts, (problem) => issues.push(`${fileName}: ${problem}`));
  return issues;
}

function validateTable(mapping: Mapping, report: (problem: string) => void): TableFacts {
  const def = mapping.table;
  const reserved = new Set<string>(Object.values(RESERVED_ATTRIBUTES));
  const tableKeys = new Map<string, string>([[def.partitionKey.name, 'partition key']]);
  if (def.sortKey) {
    if (def.sortKey.name === def.partitionKey.name) report(`table: sortKey "${def.sortKey.name}" has the same name as the partition key`);
    tableKeys.set(def.sortKey.name, 'sort key');
  }
  const types = new Map<string, string>();
  const declare = (where: string, attribute: { name: string; type: string }) => {
    if (reserved.has(attribute.name)) report(`table: ${where} "${attribute.name}" is a reserved attribute name`);
    const type = types.get(attribute.name);
    if (type && type !== attribute.type) report(`table: attribute "${attribute.name}" is declared with types ${type} and ${attribute.type}`);
    types.set(attribute.name, attribute.type);
  };
  declare('partitionKey', def.partitionKey);
  if (def.sortKey) declare('sortKey', def.sortKey);

  const gsis = new Map<string, GsiDefinition>();
  (def.gsis ?? []).forEach((gsi, index) => {
    if (gsis.has(gsi.name)) report(`table: GSI "${gsi.name}" is declared twice`);
    gsis.set(gsi.name, gsi);
    declare(`gsis[${index}].partitionKey`, gsi.partitionKey);
    if (gsi.sortKey) declare(`gsis[${index}].sortKey`, gsi.sortKey);
    const projection = gsi.projection;
    const valid =
      projection === undefined ||
      projection === 'ALL' ||
      projection === 'KEYS_ONLY' ||
      (typeof projection === 'object' &&
        projection !== null &&
        Object.keys(projection).length === 1 &&
        Array.isArray(projection.include) &&
        projection.include.every((a) => typeof a === 'string' && a !== ''));
    if (!valid) report(`table: gsis[${index}].projection must be ALL, KEYS_ONLY or {include: [attribute, ...]}`);
  });

  const keyNames = new Set([...types.keys()]);
  if (def.ttlAttribute !== undefined) {
    if (reserved.has(def.ttlAttribute)) report(`table: ttlAttribute "${def.ttlAttribute}" is a reserved attribute name`);
    else if (keyNames.has(def.ttlAttribute)) report(`table: ttlAttribute "${def.ttlAttribute}" is a key attribute`);
  }
  const entityTypeAttribute = mapping.entityTypeAttribute ?? DEFAULT_ENTITY_TYPE_ATTRIBUTE;
  if (reserved.has(entityTypeAttribute)) report(`entityTypeAttribute "${entityTypeAttribute}" is a reserved attribute name`);
  else if (keyNames.has(entityTypeAttribute)) report(`entityTypeAttribute "${entityTypeAttribute}" is a key attribute`);
  else if (entityTypeAttribute === def.ttlAttribute) report(`entityTypeAttribute "${entityTypeAttribute}" is the table's TTL attribute`);
  return { mapping, tableKeys, gsis, reserved, entityTypeAttribute };
}

function validateParents(facts: EntityFacts[], report: (entity: string, problem: string) => void): void {
  const byName = new Map(facts.map((f) => [f.entity.name, f]));
  const embeddedInto = new Map<string, string>();
  for (const child of facts) {
    const parentDef = child.entity.parent;
    if (!parentDef) continue;
    const name = child.entity.name;
    const parent = byName.get(parentDef.entity);
    if (parentDef.entity === name) {
      report(name, 'parent.entity cannot be the entity itself');
      continue;
    }
    if (!parent) {
      report(name, `parent.entity "${parentDef.entity}" is not an entity of this mapping`);
      continue;
    }
    if (parent.mode === 'embedded') {
      report(name, `parent.entity "${parent.entity.name}" is itself embedded; embed into an entity with its own items`);
      continue;
    }
    for (const [parentColumn, childColumn] of Object.entries(parentDef.keyColumns ?? {})) {
      if (!parent.columns.has(parentColumn)) report(name, `parent.keyColumns names unknown column "${parentColumn}" of entity "${parent.entity.name}"`);
      if (!child.columns.has(childColumn)) {
        report(name, `parent.keyColumns maps "${parentColumn}" to unknown column "${childColumn}" (columns: ${[...child.columns.keys()].join(', ')})`);
      }
    }
    if (child.mode !== 'embedded') continue;
    const needed = [...new Set([...(parent.pk?.columns ?? []), ...(parent.sk?.columns ?? [])])];
    const unmapped = needed.filter((c) => !Object.prototype.hasOwnProperty.call(parentDef.keyColumns ?? {}, c));
    if (unmapped.length > 0) {
      report(name, `parent.keyColumns does not map ${plural(unmapped, 'column')} that the key of entity "${parent.entity.name}" needs`);
    }
    const attribute = parentDef.attribute;
    if (!attribute) continue;
    const column = parent.attributes.get(attribute);
    if (column !== undefined) report(name, `parent.attribute "${attribute}" is also the attribute of column "${column}" of entity "${parent.entity.name}"`);
    const key = `${parent.entity.name}\u0000${attribute}`;
    const other = embeddedInto.get(key);
    if (other !== undefined) report(name, `parent.attribute "${attribute}" of entity "${parent.entity.name}" is already used by entity "${other}"`);
    embeddedInto.set(key, name);
  }
}

/**
 * Two item entities must never render the same primary key, or one would overwrite the other's
 * items. Provably disjoint templates (see `mayRenderSame`) pass; anything else is reported.
 */
function validateKeyOverlap(mapping: Mapping, facts: EntityFacts[], report: (problem: string) => void): void {
  const items = facts.filter((f) => f.mode === 'item' && f.pk && (f.sk || !mapping.table.sortKey));
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i]!;
      const b = items[j]!;
      if (!mayRenderSame(a.pk!, b.pk!)) continue;
      if (a.sk && b.sk && !mayRenderSame(a.sk, b.sk)) continue;
      const sk = a.sk && b.sk ? ` and key.sk templates ${JSON.stringify(a.sk.source)} and ${JSON.stringify(b.sk.source)}` : '';
      report(
        `entities "${a.entity.name}" and "${b.entity.name}" can produce the same key: key.pk templates ${JSON.stringify(a.pk!.source)} and ${JSON.stringify(
          b.pk!.source,
        )}${sk} may render the same text; give one of them a distinct literal prefix`,
      );
    }
  }
}
