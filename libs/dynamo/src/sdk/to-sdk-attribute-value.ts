import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import type { AttributeMap, AttributeValue } from '@pg2ddb/contracts';

import { DynamoError, DynamoErrorCode } from './dynamo-error';

// Strict, canonical base64: Buffer.from would silently skip bad characters and write other bytes.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Converts a contract AttributeValue (DynamoDB JSON, binary as base64) into the SDK's shape
 * (binary as Uint8Array). Throws a permanent INVALID_COMMAND error for a value that is no
 * AttributeValue or holds malformed base64, so it is dead-lettered rather than written wrong.
 */
export function toSdkAttributeValue(value: AttributeValue): SdkAttributeValue {
  if (typeof value !== 'object' || value === null) throw invalid('not an object');
  if ('S' in value) return value;
  if ('N' in value) return value;
  if ('BOOL' in value) return value;
  if ('NULL' in value) return value;
  if ('B' in value) return { B: decodeBase64(value.B) };
  if ('M' in value) return { M: toSdkItem(value.M) };
  if ('L' in value) return { L: value.L.map(toSdkAttributeValue) };
  if ('SS' in value) return value;
  if ('NS' in value) return value;
  if ('BS' in value) return { BS: value.BS.map(decodeBase64) };
  throw invalid(`unknown type ${JSON.stringify(Object.keys(value))}`);
}

/** Converts a whole contract item (or key, or map) into the SDK's shape. */
export function toSdkItem(item: AttributeMap): Record<string, SdkAttributeValue> {
  const result: Record<string, SdkAttributeValue> = {};
  for (const name of Object.keys(item)) result[name] = toSdkAttributeValue(item[name] as AttributeValue);
  return result;
}

function decodeBase64(text: string): Uint8Array {
  if (typeof text !== 'string' || !BASE64.test(text)) throw invalid('binary value is not canonical base64');
  return Buffer.from(text, 'base64');
}

function invalid(reason: string): DynamoError {
  return new DynamoError(DynamoErrorCode.INVALID_COMMAND, `Invalid AttributeValue: ${reason}`);
}
