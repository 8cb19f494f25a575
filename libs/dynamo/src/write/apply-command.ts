import { type AttributeValue as SdkAttributeValue, DeleteItemCommand, type DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { UpdateCommand, WriteCommand } from '@pg2ddb/contracts';

import { parseAttributePath } from './attribute-path';
import { classifyDynamoError, isConditionalCheckFailed, isInvalidDocumentPath } from '../sdk/classify-dynamo-error';
import { DynamoError, DynamoErrorCode } from '../sdk/dynamo-error';
import { buildEnsureParentMaps } from './ensure-parent-maps';
import { buildGuardedDelete } from './guarded-delete';
import { buildGuardedPut } from './guarded-put';
import { buildGuardedUpdate } from './guarded-update';
import { toSdkItem } from '../sdk/to-sdk-attribute-value';

/** What a guarded write did: written, or refused because the item already holds a newer or equal version. */
export type ApplyOutcome = 'applied' | 'stale';

/**
 * Applies one write command with the version guard (invariant 2). Resolves `'stale'` when the
 * item already holds a newer or equal version — not an error: the newer state wins. Rejects with a
 * classified {@link DynamoError} (`retriable` or permanent) otherwise.
 *
 * An update whose `name.child` path points into a map attribute that does not exist yet first
 * fails with a document-path error; the map is then created (guarded, `if_not_exists`) and the
 * update retried once. A second document-path failure (the attribute exists but is no map) is
 * permanent.
 */
export async function applyCommand(client: DynamoDBClient, command: WriteCommand): Promise<ApplyOutcome> {
  try {
    switch (command.op) {
      case 'put':
        await client.send(new PutItemCommand(buildGuardedPut(command)));
        return 'applied';
      case 'delete':
        await client.send(new DeleteItemCommand(buildGuardedDelete(command)));
        return 'applied';
      case 'update':
        return await applyUpdate(client, command);
      default:
        throw new DynamoError(DynamoErrorCode.INVALID_COMMAND, `Unknown write command op ${JSON.stringify((command as { op?: unknown }).op)}`);
    }
  } catch (error) {
    if (isConditionalCheckFailed(error)) {
      if (command.op === 'update' && command.partial === true && !(await itemExists(client, command))) throw itemMissing(command);
      return explainRefusal(command, error);
    }
    throw classifyDynamoError(error, {
      table: command?.table,
      entity: command?.entity,
      op: command?.op,
      version: command?.version,
    });
  }
}

/**
 * A refused condition means a newer or equal version is stored ('stale'), unless the stored item
 * (returned by ReturnValuesOnConditionCheckFailure) holds a non-map where an update writes a map
 * entry: that is the permanent document-path error DynamoDB itself would raise.
 */
function explainRefusal(command: WriteCommand, error: unknown): ApplyOutcome {
  const stored = (error as { Item?: Record<string, SdkAttributeValue> }).Item;
  if (command.op === 'update' && stored) {
    for (const path of [...Object.keys(command.set ?? {}), ...(command.remove ?? [])]) {
      const { name, child } = parseAttributePath(path);
      const parent = stored[name];
      if (child !== undefined && parent !== undefined && parent.M === undefined) {
        throw new DynamoError(DynamoErrorCode.INVALID_DOCUMENT_PATH, `Attribute ${name} is not a map, so ${path} cannot be written (the document path is invalid)`, {
          details: { table: command.table, entity: command.entity, op: command.op, version: command.version },
        });
      }
    }
  }
  return 'stale';
}

async function applyUpdate(client: DynamoDBClient, command: UpdateCommand): Promise<ApplyOutcome> {
  const input = buildGuardedUpdate(command);
  try {
    await client.send(new UpdateItemCommand(input));
    return 'applied';
  } catch (error) {
    if (!isInvalidDocumentPath(error)) throw error;
    const ensure = buildEnsureParentMaps(command);
    if (ensure === undefined) throw error;
    await client.send(new UpdateItemCommand(ensure));
    await client.send(new UpdateItemCommand(input));
    return 'applied';
  }
}

/** A consistent read of the item's key: did the guard fail because the item is missing? */
async function itemExists(client: DynamoDBClient, command: UpdateCommand): Promise<boolean> {
  const names: Record<string, string> = {};
  Object.keys(command.key).forEach((name, index) => (names[`#k${index}`] = name));
  const output = await client.send(
    new GetItemCommand({
      TableName: command.table,
      Key: toSdkItem(command.key),
      ConsistentRead: true,
      ProjectionExpression: Object.keys(names).join(', '),
      ExpressionAttributeNames: names,
    }),
  );
  return output.Item !== undefined;
}

function itemMissing(command: UpdateCommand): DynamoError {
  return new DynamoError(
    DynamoErrorCode.ITEM_MISSING,
    'Partial update of an item that does not exist: the change leaves some columns unchanged (unchanged TOAST values Debezium does not send), so it cannot build the item; the row\'s earlier state never reached DynamoDB (look for its earlier dead letter), or re-snapshot the row (or set REPLICA IDENTITY FULL on its table)',
    { details: { table: command.table, entity: command.entity, version: command.version } },
  );
}
