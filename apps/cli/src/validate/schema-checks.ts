import { compatibleFamilies, liveColumnType, refusedTypeReason, type CompiledEntity } from '@pg2ddb/mapping';
import type { SourceTable } from '@pg2ddb/postgres';
import type { ChecklistEntry, ValidationFinding } from './validation-finding';

/**
 * The mapping against the live table: the table and every declared column exist, each column's
 * type is one the mapping supports (and matches a declared type's family), the declared primary
 * key is the table's, and the replica identity lets delete and update events carry what the
 * item key and GSI keys are rendered from.
 */
export function schemaChecks(entity: CompiledEntity, table: SourceTable): { findings: ValidationFinding[]; checklist: ChecklistEntry[] } {
  const findings: ValidationFinding[] = [];
  const where = `${entity.schema}.${entity.table}`;
  if (!table.exists) {
    findings.push({ check: 'table-missing', severity: 'error', entity: entity.name, message: `source table ${where} does not exist` });
    return { findings, checklist: [{ area: 'schema', check: 'table-missing', title: 'source table exists', entity: entity.name, status: 'fail', detail: `${where} missing` }] };
  }
  const live = new Map(table.columns.map((column) => [column.name, column]));
  for (const column of entity.columns) {
    const info = live.get(column);
    if (!info) {
      findings.push({ check: 'column-missing', severity: 'error', entity: entity.name, column, message: `column ${column} is declared in the mapping but ${where} has no such column` });
      continue;
    }
    const liveType = liveColumnType(info.udtName, info.isEnum, info.isArray);
    const declared = entity.columnTypes.get(column);
    const refused = refusedTypeReason(info.udtName);
    if (refused) {
      findings.push({ check: 'type-unsupported', severity: 'error', entity: entity.name, column, message: `column ${column} has type ${info.type}, which pg2ddb cannot carry exactly: ${refused}` });
    } else if (!liveType && !declared) {
      findings.push({ check: 'type-unsupported', severity: 'error', entity: entity.name, column, message: `column ${column} has type ${info.type}, which pg2ddb cannot map: exclude it from the mapping or declare it (docs/type-mapping.md)` });
    } else if (liveType && declared && (declared.family !== liveType.family || declared.array !== liveType.array) && !compatibleFamilies(declared.family, liveType.family)) {
      findings.push({ check: 'type-mismatch', severity: 'error', entity: entity.name, column, message: `column ${column} is declared ${declared.declared} but is ${info.type} in PostgreSQL` });
    }
  }
  if (table.primaryKey.length === 0) {
    findings.push({ check: 'primary-key', severity: 'error', entity: entity.name, column: entity.primaryKey.join('+'), message: `${where} has no primary key: Debezium change events would have no key` });
  } else if (table.primaryKey.join(',') !== entity.primaryKey.join(',')) {
    findings.push({ check: 'primary-key', severity: 'error', entity: entity.name, column: entity.primaryKey.join('+'), message: `the mapping's primaryKey (${entity.primaryKey.join(', ')}) differs from ${where}'s (${table.primaryKey.join(', ')})` });
  }
  const primary = new Set(table.primaryKey);
  const templateColumns = new Set([...entity.keyColumns, ...entity.gsis.flatMap((gsi) => gsi.parts.flatMap((part) => part.template.columns))]);
  if (table.replicaIdentity !== 'full') {
    const nonKey = [...new Set(entity.keyColumns)].filter((column) => !primary.has(column));
    if (nonKey.length > 0) {
      findings.push({
        check: 'replica-identity',
        severity: 'error',
        entity: entity.name,
        column: nonKey.join('+'),
        message: `the item key uses ${nonKey.join(', ')}, not in the primary key, but ${where} has REPLICA IDENTITY ${table.replicaIdentity.toUpperCase()}: an update event carries no old row and a delete event only the primary key, so every update and every delete of this table would be dead-lettered (MAPPING_UPDATE_KEY_UNKNOWN / MAPPING_DELETE_KEY_UNKNOWN); run ALTER TABLE ${where} REPLICA IDENTITY FULL`,
      });
    }
    const toastInTemplates = table.columns.filter((c) => c.toastable && templateColumns.has(c.name) && !primary.has(c.name) && !nonKey.includes(c.name));
    if (toastInTemplates.length > 0) {
      findings.push({
        check: 'replica-identity',
        severity: 'error',
        entity: entity.name,
        column: toastInTemplates.map((c) => c.name).join('+'),
        message: `key/GSI templates use TOAST-able column(s) ${toastInTemplates.map((c) => c.name).join(', ')}: an update that leaves a large value unchanged arrives without it; set REPLICA IDENTITY FULL on ${where}`,
      });
    }
    const toastable = table.columns.filter((c) => c.toastable && entity.columns.includes(c.name) && !templateColumns.has(c.name) && !primary.has(c.name));
    if (toastable.length > 0) {
      findings.push({
        check: 'replica-identity-toast',
        severity: 'warning',
        entity: entity.name,
        column: toastable.map((c) => c.name).join('+'),
        message: `TOAST-able column(s) ${toastable.map((c) => c.name).join(', ')} without REPLICA IDENTITY FULL: unchanged large values arrive as Debezium's placeholder and their attributes are left as they are (correct, but REPLICA IDENTITY FULL makes every update complete)`,
      });
    }
  }
  const status = (checks: string[]): ChecklistEntry['status'] => {
    const mine = findings.filter((f) => checks.includes(f.check));
    return mine.some((f) => f.severity === 'error') ? 'fail' : mine.length > 0 ? 'warn' : 'ok';
  };
  const detail = (checks: string[], ok: string) => {
    const mine = findings.filter((f) => checks.includes(f.check));
    return mine.length === 0 ? ok : mine.map((f) => f.column ?? '-').join(', ');
  };
  return {
    findings,
    checklist: [
      { area: 'schema', check: 'column-missing', title: 'mapped columns exist', entity: entity.name, status: status(['column-missing']), detail: detail(['column-missing'], `${entity.columns.length} columns`) },
      { area: 'schema', check: 'type-unsupported', title: 'column types supported', entity: entity.name, status: status(['type-unsupported', 'type-mismatch']), detail: detail(['type-unsupported', 'type-mismatch'], 'all supported') },
      { area: 'schema', check: 'primary-key', title: 'primary key matches', entity: entity.name, status: status(['primary-key']), detail: detail(['primary-key'], table.primaryKey.join(', ')) },
      { area: 'replication', check: 'replica-identity', title: 'replica identity', entity: entity.name, status: status(['replica-identity', 'replica-identity-toast']), detail: `${table.replicaIdentity.toUpperCase()}${findings.some((f) => f.check.startsWith('replica-identity')) ? ` (${detail(['replica-identity', 'replica-identity-toast'], '')})` : ''}` },
    ],
  };
}
