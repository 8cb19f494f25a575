import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RESERVED_ATTRIBUTES, type AttributeMap, type ReconcileMode } from '@pg2ddb/contracts';
import { batchGetItems, scanEntityItems } from '@pg2ddb/dynamo';
import { countRows, readKeysetPages, readRowsByKeys, sampleRows, type RawRow } from '@pg2ddb/postgres';
import { diffItems } from '@pg2ddb/sync';
import type { Pool } from 'pg';

import type { DriftCandidate } from './drift-candidate';
import { diffChildren, readExpectedChildren, withChildDifferences } from './embedded-children';
import { expectedItem, keyIdentity, keyOf, sourceKeyOf, sourceKeyOfItem, type EntityView } from './entity-view';

export interface CompareOptions {
  mode: Exclude<ReconcileMode, 'count'>;
  /** Rows per sample (mode `sample`). */
  sampleSize?: number;
  /** Mode `recent`: rows whose `column` lies within the last `windowSeconds`. */
  recent?: { column: string; windowSeconds: number };
  /** Rows per Postgres page (and per batch of item look-ups). */
  pageSize?: number;
  /** DynamoDB scan segments read at the same time (mode `full`); a large table is split into more. */
  scanSegments?: number;
  /** BatchGetItem calls in flight. */
  concurrency?: number;
  /** At most this many rows/items compared per second (0 or absent: no limit), so a run stays within the source's and DynamoDB's spare capacity. */
  maxRowsPerSecond?: number;
  /** Mode `full`: always run both passes, even when the counts show every row has its item. */
  bothDirections?: boolean;
  /**
   * The highest version the source can have produced yet (its current WAL position in the
   * configured epoch): compared items whose `_ver` is above it are counted in `versionsAhead`.
   */
  sourcePosition?: string;
  /** At most this many candidates are kept for confirmation; the rest are counted as unconfirmed. */
  maxCandidates?: number;
  onProgress?: (progress: { phase: 'rows' | 'items'; done: number }) => void;
}

export interface CompareResult {
  /** Rows (and, in `full`, items without a row) compared. */
  checked: number;
  matched: number;
  candidates: DriftCandidate[];
  /** Candidates beyond `maxCandidates`, by kind: reported, never confirmed. */
  overflow: number;
  /** Rows the mapping refuses (their changes sit in the DLQ): not compared. */
  unmappable: number;
  /**
   * Compared items whose `_ver` is above `sourcePosition`: written from a WAL history the source no
   * longer has (it moved to a new cluster without a new PG2DDB_SOURCE_EPOCH). The writer refuses
   * every later change of such an item as stale, so it is frozen even while its values still match.
   */
  versionsAhead: number;
}

/**
 * One comparison pass over an entity, in bounded memory (a page per scan segment or keyset page,
 * plus at most `maxCandidates` candidates — never a whole side).
 *   sample / recent: rows (a random sample, or keyset pages of the recent window) are mapped and
 *     their items fetched with BatchGetItem (rows → items).
 *   full: a parallel Scan of the entity's items, each page's rows read back by primary key
 *     (items → rows: mismatches and unexpected items); then, only if the rows that backed an item
 *     are fewer than the table's rows (or `bothDirections`), keyset pages of rows with
 *     BatchGetItem to name the rows that have no item (rows → items: missing).
 */
export async function compareEntity(pg: Pool, dynamo: DynamoDBClient, view: EntityView, options: CompareOptions): Promise<CompareResult> {
  const result: CompareResult = { checked: 0, matched: 0, candidates: [], overflow: 0, unmappable: 0, versionsAhead: 0 };
  const checkVersion = (item: AttributeMap | undefined) => {
    const version = item?.[RESERVED_ATTRIBUTES.version];
    if (options.sourcePosition !== undefined && version && 'S' in version && version.S > options.sourcePosition) result.versionsAhead++;
  };
  const maxCandidates = options.maxCandidates ?? 10000;
  const pageSize = options.pageSize ?? 1000;
  // Pacing: after each page, wait until the pages so far are within the allowed rate.
  const startedAt = Date.now();
  let paced = 0;
  const pace = async (rows: number): Promise<void> => {
    paced += rows;
    const rate = options.maxRowsPerSecond ?? 0;
    if (rate <= 0) return;
    const wait = startedAt + (paced / rate) * 1000 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  };
  const addCandidate = (candidate: DriftCandidate) => {
    if (result.candidates.length < maxCandidates) result.candidates.push(candidate);
    else result.overflow++;
  };

  const comparePage = async (rows: RawRow[]) => {
    const expected: Array<{ item: AttributeMap; key: AttributeMap; sourceKey: Record<string, string> }> = [];
    for (const row of rows) {
      try {
        const mapped = expectedItem(view, row);
        expected.push({ item: mapped.item, key: mapped.key, sourceKey: sourceKeyOf(view, row) });
      } catch {
        result.unmappable++;
      }
    }
    const actual = await batchGetItems(dynamo, { table: view.table.name, keys: expected.map((e) => e.key), keyNames: view.keyNames, concurrency: options.concurrency ?? 4 });
    const children = await childrenOf(pg, view, rows);
    expected.forEach((want, index) => {
      result.checked++;
      checkVersion(actual[index]);
      const diff = diffWithChildren(view, want.item, actual[index], children);
      if (diff) addCandidate({ key: want.key, sourceKey: want.sourceKey, diff });
      else result.matched++;
    });
    options.onProgress?.({ phase: 'rows', done: result.checked });
    await pace(rows.length);
  };

  if (options.mode === 'sample') {
    const rows = await sampleRows(pg, view.source, options.sampleSize ?? 100);
    for (let start = 0; start < rows.length; start += pageSize) await comparePage(rows.slice(start, start + pageSize));
    return result;
  }
  if (options.mode === 'recent') {
    await pipelined(readKeysetPages(pg, view.source, { pageSize, where: recentWindow(view, options.recent) }), comparePage);
    return result;
  }
  // An entity whose items do not carry its primary key cannot name an item's row: compare from
  // the rows' side only (its unexpected items show in the count mode).
  if (!view.pkAttributes) {
    await pipelined(readKeysetPages(pg, view.source, { pageSize }), comparePage);
    return result;
  }

  // Full, items first: one parallel Scan reads every item of the entity once; each page's rows are
  // read by primary key (an index look-up), mapped and compared. An item no row maps to is
  // unexpected. Rows without an item cannot show up in a scan of items, so they are counted: when
  // the rows that backed an item equal the table's row count before and after the scan, no row
  // lacks its item; otherwise (drift, or rows inserted or deleted meanwhile) the rows → items pass
  // finds them. One DynamoDB read per item instead of two in the common, in-sync case.
  const rowsBefore = await countRows(pg, view.source.schema, view.source.table);
  const unmappableSeen = new Set<string>();
  let backed = 0;
  let scanned = 0;
  const scanLoops = options.scanSegments ?? 8;
  await scanEntityItems(dynamo, { table: view.table.name, entityType: view.entity.entityType, segments: scanLoops, concurrency: scanLoops }, async (items) => {
    const withKeys = items.map((item) => ({ item, sourceKey: sourceKeyOfItem(view, item) }));
    const rows = await readRowsByKeys(pg, view.source, withKeys.flatMap((entry) => (entry.sourceKey ? [entry.sourceKey] : [])));
    const children = await childrenOf(pg, view, rows);
    const expectedByKey = new Map<string, { item: AttributeMap; sourceKey: Record<string, string> }>();
    for (const row of rows) {
      try {
        const mapped = expectedItem(view, row);
        expectedByKey.set(keyIdentity(view, mapped.key), { item: mapped.item, sourceKey: sourceKeyOf(view, row) });
      } catch {
        result.unmappable++;
        unmappableSeen.add(JSON.stringify(sourceKeyOf(view, row)));
      }
    }
    for (const { item, sourceKey } of withKeys) {
      const key = keyOf(view, item);
      const expected = expectedByKey.get(keyIdentity(view, key));
      result.checked++;
      checkVersion(item);
      if (expected) backed++;
      const diff = diffWithChildren(view, expected?.item, item, children);
      if (diff) addCandidate({ key, sourceKey: expected?.sourceKey ?? sourceKey, diff });
      else result.matched++;
    }
    scanned += items.length;
    options.onProgress?.({ phase: 'items', done: scanned });
    await pace(items.length);
  });
  const rowsAfter = await countRows(pg, view.source.schema, view.source.table);
  if (!options.bothDirections && rowsBefore === backed && rowsAfter === backed) return result;

  // Rows → items, for the rows the scan could not see: only `missing` is new here (a row whose
  // item exists was compared above, from the item's side).
  const comparedByScan = { checked: result.checked, matched: result.matched };
  await pipelined(readKeysetPages(pg, view.source, { pageSize }), async (rows) => {
    const expected: Array<{ key: AttributeMap; item: AttributeMap; sourceKey: Record<string, string> }> = [];
    for (const row of rows) {
      try {
        const mapped = expectedItem(view, row);
        expected.push({ key: mapped.key, item: mapped.item, sourceKey: sourceKeyOf(view, row) });
      } catch {
        // A row the mapping refuses: counted above when the scan met an item of it; otherwise it
        // exists only in the DLQ, and is counted here.
        if (!unmappableSeen.has(JSON.stringify(sourceKeyOf(view, row)))) result.unmappable++;
      }
    }
    const actual = await batchGetItems(dynamo, { table: view.table.name, keys: expected.map((e) => e.key), keyNames: view.keyNames, concurrency: options.concurrency ?? 4 });
    expected.forEach((want, index) => {
      if (actual[index] !== undefined) return;
      comparedByScan.checked++;
      addCandidate({ key: want.key, sourceKey: want.sourceKey, diff: diffItems(want.item, undefined)! });
    });
    options.onProgress?.({ phase: 'rows', done: comparedByScan.checked });
    await pace(rows.length);
  });
  result.checked = comparedByScan.checked;
  return result;
}

/** The embedded children the given parent rows should have, by parent item (none when the entity has no children). */
async function childrenOf(pg: Pool, view: EntityView, rows: readonly RawRow[]) {
  if (!view.children || view.children.length === 0) return undefined;
  return (await readExpectedChildren(pg, view.children, rows, (key) => keyIdentity(view, key))).expected;
}

/** The item's own diff, with its embedded children's differences folded in. */
function diffWithChildren(view: EntityView, expected: AttributeMap | undefined, actual: AttributeMap | undefined, children: Awaited<ReturnType<typeof childrenOf>>) {
  const diff = diffItems(expected, actual, { ignore: view.ignore });
  if (!children || !view.children || expected === undefined) return diff;
  const entries = children.get(keyIdentity(view, keyOf(view, actual ?? expected)));
  return withChildDifferences(diff, diffChildren(view.children, entries, actual), actual);
}

function recentWindow(view: EntityView, recent: CompareOptions['recent']): { sql: string; params: unknown[] } {
  if (!recent) throw new Error(`mode "recent" needs a column and a window (entity "${view.entity.name}")`);
  if (!view.source.types.has(recent.column)) {
    throw new Error(`mode "recent": ${view.source.schema}.${view.source.table} has no column "${recent.column}" (entity "${view.entity.name}")`);
  }
  return { sql: `"${recent.column.replace(/"/g, '""')}" >= now() - make_interval(secs => $1)`, params: [recent.windowSeconds] };
}

/** Reads the next page while the current one is compared: Postgres and DynamoDB work overlap. */
async function pipelined<T>(pages: AsyncGenerator<T>, handle: (page: T) => Promise<void>): Promise<void> {
  let next = pages.next();
  for (;;) {
    const current = await next;
    if (current.done) return;
    next = pages.next();
    try {
      await handle(current.value);
    } catch (error) {
      await next.catch(() => undefined);
      await pages.return(undefined);
      throw error;
    }
  }
}
