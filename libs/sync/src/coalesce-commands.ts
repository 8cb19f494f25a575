import type { WriteCommand } from '@pg2ddb/contracts';
import { writeCommandKey } from '@pg2ddb/contracts';

/**
 * Drops commands that a later whole-item command (put or delete) of the same item makes
 * irrelevant, so a batch with many changes to one hot row costs one write. Only commands with a
 * version no newer than that later command are dropped: a replayed old put that arrives after a
 * newer one must not erase the newer one. Order is kept for everything that remains.
 */
export function coalesceCommands(commands: readonly WriteCommand[]): WriteCommand[] {
  const keys = commands.map(writeCommandKey);
  const lastWholeByKey = new Map<string, { index: number; version: string }>();
  commands.forEach((command, index) => {
    if (command.op === 'update') return;
    const key = keys[index] as string;
    const previous = lastWholeByKey.get(key);
    if (!previous || command.version >= previous.version) lastWholeByKey.set(key, { index, version: command.version });
  });
  return commands.filter((command, index) => {
    const last = lastWholeByKey.get(keys[index] as string);
    if (!last || index >= last.index) return true;
    return command.version > last.version;
  });
}
