import { UsageError } from './exit-codes';
import type { OptionValues } from './cli-command';

/** A string option's value, or a usage error naming the flag when it is required and missing. */
export function stringOption(values: OptionValues, name: string, required: true): string;
export function stringOption(values: OptionValues, name: string, required?: false): string | undefined;
export function stringOption(values: OptionValues, name: string, required = false): string | undefined {
  const value = values[name];
  if (typeof value === 'string' && value !== '') return value;
  if (required) throw new UsageError(`--${name} is required`);
  return undefined;
}

/** A number option (`--interval 1`), checked against a range; a usage error names the flag. */
export function numberOption(values: OptionValues, name: string, fallback: number, range: { min?: number; max?: number; integer?: boolean } = {}): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  const { min = -Infinity, max = Infinity, integer = false } = range;
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be ${integer ? 'a whole number' : 'a number'}${min > -Infinity ? ` ≥ ${min}` : ''}${max < Infinity ? ` ≤ ${max}` : ''}, got "${String(raw)}"`);
  }
  return value;
}

/** A date option (`2024-01-31` or a full ISO timestamp); a usage error names the flag. */
export function dateOption(values: OptionValues, name: string): Date | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw new UsageError(`--${name} must be a date (YYYY-MM-DD or an ISO-8601 timestamp), got "${raw}"`);
  }
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw);
}

/** The `--mapping FILE` every pipeline command takes. */
export const mappingOption = { mapping: { type: 'string' as const } };
export const jsonOption = { json: { type: 'boolean' as const, default: false } };
