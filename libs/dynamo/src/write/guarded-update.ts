import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, UpdateCommand } from '@pg2ddb/contracts';

import { parseAttributePath } from './attribute-path';
import { checkCommand } from './check-command';
import { DynamoError, DynamoErrorCode } from '../sdk/dynamo-error';
import { ExpressionBuilder } from './expression-builder';
import { toSdkAttributeValue, toSdkItem } from '../sdk/to-sdk-attribute-value';
import { VERSION_GUARD } from './version-guard';

/**
 * Builds the UpdateItem input of an update command: `SET` every path and `_ver`, `REMOVE` the
 * listed paths, under the version guard. Attributes the command does not name stay as they are
 * (unavailable TOAST columns, sibling children). Paths follow {@link parseAttributePath}; every
 * name goes through a placeholder. Overlapping paths (`a` with `a.x`, or one path twice), the
 * reserved `_ver` and key attributes are rejected as permanent errors before DynamoDB sees them.
 */
export function buildGuardedUpdate(command: UpdateCommand): UpdateItemCommandInput {
  checkCommand(command);
  const set = command.set ?? {};
  const remove = command.remove ?? [];
  if (typeof set !== 'object' || set === null || !Array.isArray(remove)) {
    throw invalid(command, '`set` must be an object and `remove` an array');
  }
  const builder = new ExpressionBuilder();
  const paths = new PathTracker(command);
  const setParts: string[] = [];
  for (const path of Object.keys(set)) {
    if (path === VERSION_GUARD.attribute && command.guard === undefined) {
      // The mapping may stamp the version itself; it must be the command's, which is set below.
      const stamped = set[path] as AttributeValue;
      if (!('S' in stamped) || stamped.S !== command.version) throw invalid(command, `${path} differs from the command version`);
      continue;
    }
    const reference = paths.reference(builder, path);
    setParts.push(`${reference} = ${builder.value(toSdkAttributeValue(set[path] as AttributeValue))}`);
  }
  // An embedded child is guarded by its own entry's version and leaves the item's alone.
  const guard = command.guard === undefined ? undefined : guardReference(builder, command);
  if (!guard) setParts.push(`${VERSION_GUARD.nameToken} = ${VERSION_GUARD.valueToken}`);
  let expression = setParts.length > 0 ? `SET ${setParts.join(', ')}` : '';
  if (remove.length > 0) {
    const removeParts: string[] = [];
    for (const path of remove) removeParts.push(paths.reference(builder, path));
    expression += `${expression ? ' ' : ''}REMOVE ${removeParts.join(', ')}`;
  }
  builder.names[VERSION_GUARD.nameToken] = VERSION_GUARD.attribute;
  builder.values[VERSION_GUARD.valueToken] = { S: command.version };
  let versionCondition = guard ? `attribute_not_exists(${guard}) OR ${guard} < ${VERSION_GUARD.valueToken}` : VERSION_GUARD.condition;
  // A partial update only changes an existing item; on a missing one it would create a partial item.
  if (command.partial === true) versionCondition = `${itemExistsCondition(builder, command)} AND (${versionCondition})`;
  return {
    TableName: command.table,
    Key: toSdkItem(command.key),
    UpdateExpression: expression,
    ConditionExpression: withMapParents(builder, paths.parentNames(), versionCondition),
    ExpressionAttributeNames: builder.names,
    ExpressionAttributeValues: builder.values,
    // A refused condition returns the stored item, so the caller can tell a stale version from a
    // parent attribute that is not a map (see applyCommand).
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}

/** `attribute_exists(#k)` over the item's first key attribute: true exactly when the item exists. */
function itemExistsCondition(builder: ExpressionBuilder, command: UpdateCommand): string {
  const [keyName] = Object.keys(command.key);
  return `attribute_exists(${builder.name(keyName as string)})`;
}

/**
 * Adds `(attribute_not_exists(#p) OR attribute_type(#p, :pg2ddbMap))` for every map a `name.child`
 * path writes into. DynamoDB refuses such a path into a non-map with a document-path error, but
 * some DynamoDB-compatible emulators (moto) silently ignore the write; the condition makes both
 * refuse it the same way, and applyCommand names the cause.
 */
function withMapParents(builder: ExpressionBuilder, parents: readonly string[], versionCondition: string): string {
  if (parents.length === 0) return versionCondition;
  builder.values[MAP_TYPE_TOKEN] = { S: 'M' };
  const checks = parents.map((name) => {
    const token = builder.name(name);
    return `(attribute_not_exists(${token}) OR attribute_type(${token}, ${MAP_TYPE_TOKEN}))`;
  });
  return `(${versionCondition}) AND ${checks.join(' AND ')}`;
}

const MAP_TYPE_TOKEN = ':pg2ddbMap';

/** `#a.#c.#ver`: the version inside the guarded map entry, which must be one of the command's paths. */
function guardReference(builder: ExpressionBuilder, command: UpdateCommand): string {
  const guard = command.guard as string;
  const { name, child } = parseAttributePath(guard);
  if (child === undefined) throw invalid(command, `guard ${JSON.stringify(guard)} is not a map entry path (attribute.child)`);
  const paths = [...Object.keys(command.set ?? {}), ...(command.remove ?? [])];
  if (!paths.includes(guard)) throw invalid(command, `guard ${JSON.stringify(guard)} is not one of the command's paths`);
  return `${builder.name(name)}.${builder.name(child)}.${VERSION_GUARD.nameToken}`;
}

/** Turns paths into placeholder references and refuses paths DynamoDB would reject as overlapping. */
class PathTracker {
  private readonly whole = new Set<string>();
  private readonly parents = new Set<string>();
  private readonly children = new Set<string>();

  constructor(private readonly command: UpdateCommand) {}

  /** The map attributes the command's `name.child` paths write into. */
  parentNames(): string[] {
    return [...this.parents];
  }

  reference(builder: ExpressionBuilder, path: string): string {
    if (typeof path !== 'string') throw invalid(this.command, `path ${JSON.stringify(path)} is not a string`);
    const { name, child } = parseAttributePath(path);
    if (name === VERSION_GUARD.attribute) throw invalid(this.command, `${name} is reserved`);
    if (Object.prototype.hasOwnProperty.call(this.command.key, name)) {
      throw new DynamoError(DynamoErrorCode.INVALID_KEY, `Update command changes key attribute ${name}`, {
        details: { table: this.command.table, entity: this.command.entity, path },
      });
    }
    if (child === undefined) {
      if (this.whole.has(name) || this.parents.has(name)) throw overlap(this.command, path);
      this.whole.add(name);
      return builder.name(name);
    }
    if (this.whole.has(name) || this.children.has(path)) throw overlap(this.command, path);
    this.parents.add(name);
    this.children.add(path);
    return `${builder.name(name)}.${builder.name(child)}`;
  }
}

function overlap(command: UpdateCommand, path: string): DynamoError {
  return invalid(command, `path ${JSON.stringify(path)} overlaps another path of the same command`);
}

function invalid(command: UpdateCommand, reason: string): DynamoError {
  return new DynamoError(DynamoErrorCode.INVALID_COMMAND, `Invalid update command: ${reason}`, {
    details: { table: command.table, entity: command.entity },
  });
}
