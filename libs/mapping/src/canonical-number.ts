import { normalizeDecimal } from './decimal-number';
import { MappingError } from './mapping-error';

/**
 * The canonical `N` text of a number (plain notation, no superfluous zeros, `-0` → `0`), the form
 * `mapRow` and `mapChange` produce. The reconciler can pass DynamoDB's returned numbers through it
 * before comparing. Throws `MappingError` (`MAPPING_NUMBER_OUT_OF_RANGE`, `MAPPING_NOT_A_NUMBER`,
 * `MAPPING_VALUE_INVALID`) for text DynamoDB could not hold.
 */
export function canonicalNumber(text: string): string {
  const result = normalizeDecimal(text);
  if (!result.ok) throw new MappingError(result.code, result.problem, { value: text });
  return result.canonical;
}
