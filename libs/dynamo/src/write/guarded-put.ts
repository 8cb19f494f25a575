import type { AttributeValue as SdkAttributeValue, PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, PutCommand } from '@pg2ddb/contracts';

import { checkCommand } from './check-command';
import { DynamoError, DynamoErrorCode } from '../sdk/dynamo-error';
import { toSdkAttributeValue } from '../sdk/to-sdk-attribute-value';
import { VERSION_GUARD } from './version-guard';

/**
 * Builds the PutItem input of a put command: the whole item, its key taken from the command's key,
 * the version stored in `_ver`, and the version guard as condition, so an older or equal version
 * never replaces the item.
 */
export function buildGuardedPut(command: PutCommand): PutItemCommandInput {
  checkCommand(command);
  if (typeof command.item !== 'object' || command.item === null) throw invalid(command, 'no item');
  const item: Record<string, SdkAttributeValue> = {};
  for (const name of Object.keys(command.item)) {
    if (name === VERSION_GUARD.attribute) {
      // The mapping may stamp the version itself; it must be the command's, which is written below.
      if (!sameScalar(command.item[name] as AttributeValue, { S: command.version })) {
        throw invalid(command, `the item's ${name} differs from the command version`);
      }
      continue;
    }
    item[name] = toSdkAttributeValue(command.item[name] as AttributeValue);
  }
  for (const name of Object.keys(command.key)) {
    const keyValue = command.key[name] as AttributeValue;
    const itemValue = command.item[name];
    // A differing key in the item would write another item than the one this key orders.
    if (itemValue !== undefined && !sameScalar(itemValue, keyValue)) {
      throw new DynamoError(DynamoErrorCode.INVALID_KEY, `Put item's ${name} differs from the command key`, {
        details: { table: command.table, entity: command.entity, attribute: name },
      });
    }
    item[name] = toSdkAttributeValue(keyValue);
  }
  item[VERSION_GUARD.attribute] = { S: command.version };
  return {
    TableName: command.table,
    Item: item,
    ConditionExpression: VERSION_GUARD.condition,
    ExpressionAttributeNames: { [VERSION_GUARD.nameToken]: VERSION_GUARD.attribute },
    ExpressionAttributeValues: { [VERSION_GUARD.valueToken]: { S: command.version } },
  };
}

function sameScalar(a: AttributeValue, b: AttributeValue): boolean {
  if ('S' in a && 'S' in b) return a.S === b.S;
  if ('N' in a && 'N' in b) return a.N === b.N;
  if ('B' in a && 'B' in b) return a.B === b.B;
  return false;
}

function invalid(command: PutCommand, reason: string): DynamoError {
  return new DynamoError(DynamoErrorCode.INVALID_COMMAND, `Invalid put command: ${reason}`, {
    details: { table: command.table, entity: command.entity },
  });
}
