import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { UpdateCommand } from '@pg2ddb/contracts';

import { parseAttributePath } from './attribute-path';
import { ExpressionBuilder } from './expression-builder';
import { toSdkItem } from '../sdk/to-sdk-attribute-value';
import { VERSION_GUARD } from './version-guard';

/**
 * Builds the UpdateItem that creates, as empty maps, the map attributes an update's `name.child`
 * paths (set or remove) write into, leaving existing ones untouched:
 * `SET #m = if_not_exists(#m, :emptyMap)`. It carries the version guard but does not set `_ver`,
 * so the real update that follows still passes the guard. An embedded child's update (`guard` set)
 * is versioned by its own entry, not the item, so its map is created unconditionally: an empty map
 * where none was is never a stale write. Returns undefined when the command has
 * no `name.child` path (then a document-path error cannot be fixed this way).
 */
export function buildEnsureParentMaps(command: UpdateCommand): UpdateItemCommandInput | undefined {
  const parents = new Set<string>();
  for (const path of Object.keys(command.set ?? {})) addParent(parents, path);
  for (const path of command.remove ?? []) addParent(parents, path);
  if (parents.size === 0) return undefined;
  const builder = new ExpressionBuilder();
  const parts: string[] = [];
  for (const name of parents) {
    const token = builder.name(name);
    parts.push(`${token} = if_not_exists(${token}, :emptyMap)`);
  }
  builder.values[':emptyMap'] = { M: {} };
  const input: UpdateItemCommandInput = {
    TableName: command.table,
    Key: toSdkItem(command.key),
    UpdateExpression: `SET ${parts.join(', ')}`,
    ExpressionAttributeNames: builder.names,
    ExpressionAttributeValues: builder.values,
  };
  if (command.guard !== undefined) return input;
  builder.names[VERSION_GUARD.nameToken] = VERSION_GUARD.attribute;
  builder.values[VERSION_GUARD.valueToken] = { S: command.version };
  return { ...input, ConditionExpression: VERSION_GUARD.condition };
}

function addParent(parents: Set<string>, path: string): void {
  const { name, child } = parseAttributePath(path);
  if (child !== undefined) parents.add(name);
}
