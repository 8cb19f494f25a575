import Ajv, { type ValidateFunction } from 'ajv';

import driftEvent from '../schemas/drift-event.v1.json';
import driftSummary from '../schemas/drift-summary.v1.json';
import type { DriftEvent, DriftSummary } from './drift-event';

/** JSON Schema (draft-07) of a drift event, version 1: what alerting consumers may rely on. */
export const driftEventSchema: Readonly<Record<string, unknown>> = driftEvent;
/** JSON Schema (draft-07) of a reconciliation summary, version 1. */
export const driftSummarySchema: Readonly<Record<string, unknown>> = driftSummary;

let validators: { drift: ValidateFunction; summary: ValidateFunction } | undefined;

/**
 * Checks one message of the drift topic against its JSON schema (chosen by its `type`). Returns
 * the problems as readable lines (empty when valid), so producers can test what they emit and
 * consumers can refuse what they do not understand.
 */
export function validateDriftMessage(message: unknown): { ok: true; value: DriftEvent | DriftSummary } | { ok: false; problems: string[] } {
  validators ??= compile();
  const type = message !== null && typeof message === 'object' ? (message as { type?: unknown }).type : undefined;
  const validate = type === 'drift' ? validators.drift : type === 'summary' ? validators.summary : undefined;
  if (!validate) return { ok: false, problems: [`type must be "drift" or "summary", got ${JSON.stringify(type)}`] };
  if (validate(message)) return { ok: true, value: message as DriftEvent | DriftSummary };
  return { ok: false, problems: (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`) };
}

function compile(): { drift: ValidateFunction; summary: ValidateFunction } {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  // ISO-8601 instants as `Date#toISOString` writes them (ajv-formats is not a dependency).
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  return { drift: ajv.compile(driftEvent), summary: ajv.compile(driftSummary) };
}
