import type { PipelineState } from './pipeline-state';

/**
 * Per-entity initial-load rate (items/s) and ETA between two states of the pipeline (no rate on
 * the first one): what `pg2ddb status` and the status page show.
 */
export function loadRates(now: PipelineState, before: PipelineState | undefined): Map<string, { rate?: number; etaMs?: number }> {
  const rates = new Map<string, { rate?: number; etaMs?: number }>();
  for (const entity of now.entities) {
    const previous = before?.entities.find((candidate) => candidate.entity === entity.entity);
    const elapsed = before ? now.at - before.at : 0;
    const rate = previous && elapsed > 0 && previous.items >= 0 && entity.items >= 0 ? Math.max(0, ((entity.items - previous.items) * 1000) / elapsed) : undefined;
    const remaining = entity.rows - entity.items;
    rates.set(entity.entity, { ...(rate !== undefined ? { rate } : {}), ...(rate && rate > 0 && remaining > 0 ? { etaMs: (remaining / rate) * 1000 } : {}) });
  }
  return rates;
}
