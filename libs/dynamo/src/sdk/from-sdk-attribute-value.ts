import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import type { AttributeMap, AttributeValue } from '@pg2ddb/contracts';

import { DynamoError, DynamoErrorCode } from './dynamo-error';

/**
 * Converts an SDK AttributeValue (as read from DynamoDB) into the contract's DynamoDB JSON form,
 * binary as base64, so the reconciler can compare it with a mapped item.
 */
export function fromSdkAttributeValue(value: SdkAttributeValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: true };
  if (value.B !== undefined) return { B: encodeBase64(value.B) };
  if (value.M !== undefined) return { M: fromSdkItem(value.M) };
  if (value.L !== undefined) return { L: value.L.map(fromSdkAttributeValue) };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map(encodeBase64) };
  throw new DynamoError(DynamoErrorCode.UNKNOWN, `Unknown AttributeValue type ${JSON.stringify(Object.keys(value))}`);
}

/** Converts a whole SDK item (or key, or map) into the contract's form. */
export function fromSdkItem(item: Record<string, SdkAttributeValue>): AttributeMap {
  const result: AttributeMap = {};
  for (const name of Object.keys(item)) result[name] = fromSdkAttributeValue(item[name] as SdkAttributeValue);
  return result;
}

function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
