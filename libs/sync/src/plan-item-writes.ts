import type { DeleteCommand, PutCommand, WriteCommand } from '@pg2ddb/contracts';

/** What the store holds for one item before a batch is applied: the item's and its tombstone's versions. */
export interface StoredVersions {
  /** `_ver` of the live item; absent when there is no item or the item has no `_ver` (see `exists`). */
  item?: string;
  /**
   * The live item exists, with or without `_ver`: items loaded by another tool, parent items
   * created by an embedded child's update, items a repair wrote. Implied when `item` is set.
   */
  exists?: boolean;
  /** Version of the delete that removed the item last; absent when it was never deleted (or the tombstone expired). */
  tombstone?: string;
}

/** The one write an item needs after a batch, or the reason it needs none. */
export type ItemWrite =
  /** Replace the whole item with this put (the newest whole-item command that beats the store). */
  | { readonly kind: 'put'; readonly command: PutCommand }
  /** Delete the item (when `itemExists`) and record a tombstone at the delete's version. */
  | { readonly kind: 'delete'; readonly command: DeleteCommand; readonly itemExists: boolean }
  /**
   * Partial updates are involved: apply these commands one by one, in order, with the store's own
   * condition expressions (an update cannot be folded without knowing the whole stored item).
   */
  | { readonly kind: 'conditional'; readonly commands: readonly WriteCommand[] };

/** How one command of the batch was decided. */
export type CommandFate = 'planned' | 'stale' | 'superseded';

/** The plan for a batch: one write per item that needs one, and every command's fate in input order. */
export interface WritePlan {
  writes: ItemWrite[];
  fates: CommandFate[];
  /** For each write, the input positions of the commands it carries out. */
  sources: number[][];
}

/**
 * Decides, for a batch of write commands and the versions the store holds, the fewest writes that
 * leave each item exactly as the newest command says (invariants 2 and 3):
 *
 * - a command no newer than the live item (`version <= item`), or older than the item's tombstone
 *   (`version < tombstone`), is `stale` — so an old put arriving after a delete cannot bring the
 *   item back; a delete equal to its tombstone is stale unless the item is still there (a half-applied
 *   delete, which then finishes on replay);
 * - of the remaining whole-item commands (put, delete) of an item, the one with the highest version
 *   wins and the others are `superseded` — DynamoDB's batch write also refuses one key twice;
 * - an item with any partial update among its fresh commands keeps all of them, in order, for
 *   single-item conditional writes;
 * - an embedded child's update (`guard` set) is never judged by the item's `_ver`, only by the
 *   item's tombstone: DynamoDB's condition on the child's own entry version guards it.
 * A stored item counts as existing with or without `_ver`, so a delete removes it.
 *
 * `keys[i]` is the item identity of `commands[i]` (table + key, e.g. `writeCommandKey`). Pure: no I/O.
 */
export function planItemWrites(
  commands: readonly WriteCommand[],
  keys: readonly string[],
  stored: ReadonlyMap<string, StoredVersions>,
): WritePlan {
  const fates = new Array<CommandFate>(commands.length).fill('stale');
  const byItem = new Map<string, number[]>();
  commands.forEach((command, index) => {
    const key = keys[index] as string;
    if (isStale(command, stored.get(key))) return;
    const group = byItem.get(key);
    if (group) group.push(index);
    else byItem.set(key, [index]);
  });

  const writes: ItemWrite[] = [];
  const sources: number[][] = [];
  for (const [key, indexes] of byItem) {
    if (indexes.some((index) => (commands[index] as WriteCommand).op === 'update')) {
      writes.push({ kind: 'conditional', commands: indexes.map((index) => commands[index] as WriteCommand) });
      sources.push(indexes);
      for (const index of indexes) fates[index] = 'planned';
      continue;
    }
    let winner = indexes[0] as number;
    for (const index of indexes) {
      if ((commands[index] as WriteCommand).version > (commands[winner] as WriteCommand).version) winner = index;
    }
    for (const index of indexes) fates[index] = index === winner ? 'planned' : 'superseded';
    const command = commands[winner] as PutCommand | DeleteCommand;
    writes.push(
      command.op === 'put'
        ? { kind: 'put', command }
        : { kind: 'delete', command, itemExists: itemExists(stored.get(key)) },
    );
    sources.push([winner]);
  }
  return { writes, fates, sources };
}

function isStale(command: WriteCommand, stored: StoredVersions | undefined): boolean {
  if (stored === undefined) return false;
  const { version } = command;
  // An embedded child's update is guarded by its own map entry's `_ver`, which DynamoDB's
  // condition checks on the single-item path; the parent's `_ver` says nothing about the child
  // (a snapshot gives parent and child one version, and an older child change may follow a newer
  // parent change). Only the item's tombstone applies to it: a child cannot outlive its parent's delete.
  if (command.op === 'update' && command.guard !== undefined) return stored.tombstone !== undefined && version < stored.tombstone;
  if (stored.item !== undefined && version <= stored.item) return true;
  if (stored.tombstone === undefined) return false;
  // The delete that wrote this tombstone, replayed: only unfinished if its item is still there.
  if (command.op === 'delete' && version === stored.tombstone) return !itemExists(stored);
  return version < stored.tombstone;
}

/** Any stored item counts, whether or not it carries `_ver`: a delete must remove it. */
function itemExists(stored: StoredVersions | undefined): boolean {
  return stored !== undefined && (stored.exists === true || stored.item !== undefined);
}
