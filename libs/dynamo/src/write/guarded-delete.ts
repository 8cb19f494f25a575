import type { DeleteItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { DeleteCommand } from '@pg2ddb/contracts';

import { checkCommand } from './check-command';
import { toSdkItem } from '../sdk/to-sdk-attribute-value';
import { VERSION_GUARD } from './version-guard';

/**
 * Builds the DeleteItem input of a delete command, guarded like a put: an item holding a newer
 * version survives an older delete. Deleting a missing item passes the guard (nothing to protect).
 */
export function buildGuardedDelete(command: DeleteCommand): DeleteItemCommandInput {
  checkCommand(command);
  return {
    TableName: command.table,
    Key: toSdkItem(command.key),
    ConditionExpression: VERSION_GUARD.condition,
    ExpressionAttributeNames: { [VERSION_GUARD.nameToken]: VERSION_GUARD.attribute },
    ExpressionAttributeValues: { [VERSION_GUARD.valueToken]: { S: command.version } },
  };
}
