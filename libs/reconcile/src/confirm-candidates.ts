import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AttributeMap } from '@pg2ddb/contracts';
import { batchGetItems } from '@pg2ddb/dynamo';
import { currentWalLsn, readRowsByKeys, XMIN_COLUMN, type RawRow } from '@pg2ddb/postgres';
import { diffItems } from '@pg2ddb/sync';
import type { Pool } from 'pg';

import type { DriftCandidate } from './drift-candidate';
import { diffChildren, readExpectedChildren, withChildDifferences, type ExpectedChildren } from './embedded-children';
import { expectedItem, keyIdentity, sourceKeyOf, type EntityView } from './entity-view';
import { waitForPipeline, type PipelineProgress } from './wait-for-pipeline';

/** Confirmed drift, and the candidates whose rows kept changing or that the pipeline never caught up with. */
export interface Confirmation {
  confirmed: DriftCandidate[];
  inFlight: number;
}

/**
 * Turns candidates into confirmed drift without false alarms from rows changing under the run.
 * Each round:
 *   1. read the candidates' rows (with `xmin`, their row version), then `pg_current_wal_lsn()` =
 *      L: every change visible to that read was committed below L;
 *   2. wait until the pipeline has carried everything up to L into DynamoDB (`waitForPipeline`);
 *   3. read the items, then the rows' `xmin` again.
 * A candidate whose item now equals what its row maps to was a change in flight (matched). One
 * that still differs while its row kept the same version from step 1 to step 3 is drift: the
 * pipeline had every chance to apply that row version and nothing newer could have replaced it.
 * A row that changed meanwhile is inconclusive and goes to the next round; after `rounds` or
 * `timeoutMs` the remaining ones are reported in flight.
 */
export async function confirmCandidates(
  pg: Pool,
  dynamo: DynamoDBClient,
  view: EntityView,
  candidates: readonly DriftCandidate[],
  progress: PipelineProgress,
  options: { timeoutMs: number; rounds?: number },
): Promise<Confirmation> {
  const deadline = Date.now() + options.timeoutMs;
  const confirmed: DriftCandidate[] = [];
  let pending = [...candidates];
  for (let round = 0; round < (options.rounds ?? 5) && pending.length > 0; round++) {
    const before = await rowsByPk(pg, view, pending);
    const childrenBefore = await children(pg, view, before);
    const lsn = await currentWalLsn(pg);
    if (!(await waitForPipeline(pg, progress, lsn, Math.max(0, deadline - Date.now())))) break;
    const items = await batchGetItems(dynamo, { table: view.table.name, keys: pending.map((candidate) => candidate.key), keyNames: view.keyNames });
    const after = await rowsByPk(pg, view, pending);
    const childrenAfter = await children(pg, view, after);
    const next: DriftCandidate[] = [];
    pending.forEach((candidate, index) => {
      const id = candidate.sourceKey ? pkIdentity(view, candidate.sourceKey) : undefined;
      const row = id === undefined ? undefined : before.get(id);
      let expected;
      if (row) {
        try {
          const mapped = expectedItem(view, row);
          // The row maps elsewhere now: nothing is expected at this key.
          if (keyIdentity(view, mapped.key) === keyIdentity(view, candidate.key)) expected = mapped.item;
        } catch {
          // An unmappable row expects no item (its change sits in the DLQ).
        }
      }
      const itemId = keyIdentity(view, candidate.key);
      const diff = withChildren(view, diffItems(expected, items[index], { ignore: view.ignore }), expected, items[index], childrenBefore?.expected.get(itemId));
      if (!diff) return;
      const later = id === undefined ? undefined : after.get(id);
      const stable =
        (row?.[XMIN_COLUMN] ?? null) === (later?.[XMIN_COLUMN] ?? null) &&
        (childrenBefore?.versions.get(itemId) ?? null) === (childrenAfter?.versions.get(itemId) ?? null);
      if (stable) confirmed.push({ key: candidate.key, sourceKey: row ? sourceKeyOf(view, row) : candidate.sourceKey, diff });
      // The row moved on; an item that already shows the newer row version is in sync.
      else if (!matchesRow(view, candidate, later, items[index], childrenAfter?.expected.get(itemId))) next.push(candidate);
    });
    pending = next;
  }
  return { confirmed, inFlight: pending.length };
}

/** The parent rows' embedded children, with their row versions (undefined for an entity without children). */
async function children(pg: Pool, view: EntityView, rows: ReadonlyMap<string, RawRow>) {
  if (!view.children || view.children.length === 0) return undefined;
  return readExpectedChildren(pg, view.children, [...rows.values()], (key) => keyIdentity(view, key), { withXmin: true });
}

function withChildren(
  view: EntityView,
  diff: ReturnType<typeof diffItems>,
  expected: AttributeMap | undefined,
  item: AttributeMap | undefined,
  entries: ReturnType<ExpectedChildren['get']>,
): ReturnType<typeof diffItems> {
  if (!view.children || expected === undefined) return diff;
  return withChildDifferences(diff, diffChildren(view.children, entries, item), item);
}

function matchesRow(
  view: EntityView,
  candidate: DriftCandidate,
  row: RawRow | undefined,
  item: AttributeMap | undefined,
  entries?: ReturnType<ExpectedChildren['get']>,
): boolean {
  let expected: AttributeMap | undefined;
  if (row) {
    try {
      const mapped = expectedItem(view, row);
      if (keyIdentity(view, mapped.key) === keyIdentity(view, candidate.key)) expected = mapped.item;
    } catch {
      expected = undefined;
    }
  }
  return withChildren(view, diffItems(expected, item, { ignore: view.ignore }), expected, item, entries) === undefined;
}

async function rowsByPk(pg: Pool, view: EntityView, candidates: readonly DriftCandidate[]): Promise<Map<string, RawRow>> {
  const keys = new Map<string, Record<string, string>>();
  for (const candidate of candidates) if (candidate.sourceKey) keys.set(pkIdentity(view, candidate.sourceKey), candidate.sourceKey);
  const rows = await readRowsByKeys(pg, view.source, [...keys.values()], undefined, { withXmin: true });
  return new Map(rows.map((row) => [pkIdentity(view, sourceKeyOf(view, row)), row]));
}

/** Canonical identity of a primary key: the text Postgres prints, so item-derived keys match too. */
function pkIdentity(view: EntityView, key: Record<string, string | null>): string {
  return view.entity.primaryKey.map((column) => key[column] ?? '').join('\u0000');
}
