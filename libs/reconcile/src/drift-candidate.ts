import type { AttributeMap } from '@pg2ddb/contracts';
import type { ItemDiff } from '@pg2ddb/sync';

/** A difference seen once; it becomes drift only if it survives confirmation. */
export interface DriftCandidate {
  /** The item's key. */
  key: AttributeMap;
  /** The row's primary key (text values), when known. */
  sourceKey: Record<string, string> | undefined;
  diff: ItemDiff;
}
