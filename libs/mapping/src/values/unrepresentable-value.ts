import type { CompiledEntity } from '../definition/compile-mapping';
import { MappingError, MappingErrorCode } from '../mapping-error';
import { NULL_VALUE, type PgValue } from './pg-value';

/**
 * What a column does with a value DynamoDB cannot hold as a number (beyond ±1E126 / 1E-130, more
 * than 38 significant digits, NaN, ±Infinity): `dead-letter` the row (the default: nothing is
 * silently changed), store the value as its exact text (`string`: an `S` attribute instead of `N`),
 * or store it as NULL (`null`, then the entity's `nulls` rule applies).
 */
export type UnrepresentablePolicy = 'dead-letter' | 'string' | 'null';

const UNREPRESENTABLE = new Set<string>([MappingErrorCode.NumberOutOfRange, MappingErrorCode.NotANumber]);

/**
 * Decodes one column's raw value and, when the value is a number DynamoDB cannot hold, applies the
 * column's `unrepresentable` policy instead of failing. Both paths (the transformer's Debezium
 * values and the reconciler's Postgres rows) go through here, so both build the same item.
 */
export function decodeColumn(entity: CompiledEntity, column: string, raw: unknown, decode: () => PgValue): PgValue {
  const policy = entity.unrepresentable.get(column);
  if (policy === undefined) return decode();
  try {
    return decode();
  } catch (error) {
    if (!(error instanceof MappingError) || !UNREPRESENTABLE.has(error.code)) throw error;
    return policy === 'null' ? NULL_VALUE : { kind: 'text', text: exactText(raw) };
  }
}

function exactText(raw: unknown): string {
  // A double's shortest round-trip text is exact for it; numeric values arrive as their own text.
  if (typeof raw === 'number' || typeof raw === 'bigint') return String(raw);
  if (typeof raw === 'string') return raw;
  return JSON.stringify(raw) ?? String(raw);
}
