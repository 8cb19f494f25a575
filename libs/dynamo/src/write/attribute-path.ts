import { DynamoError, DynamoErrorCode } from '../sdk/dynamo-error';

/** An update path split into its top-level attribute and, for a map entry, the entry's key. */
export interface AttributePath {
  name: string;
  child: string | undefined;
}

/**
 * Splits an update command's attribute path. The rule: the FIRST `.` separates the top-level
 * attribute name from the key of an entry in that map attribute; everything after it is the entry
 * key, verbatim (child ids may contain dots, `#`, `:`, spaces, any unicode). Consequently a
 * top-level attribute addressed by an update cannot have a `.` in its name (puts have no such
 * limit). Neither part may be empty: DynamoDB rejects empty names.
 */
export function parseAttributePath(path: string): AttributePath {
  const dot = path.indexOf('.');
  const name = dot < 0 ? path : path.slice(0, dot);
  const child = dot < 0 ? undefined : path.slice(dot + 1);
  if (name === '' || child === '') {
    throw new DynamoError(DynamoErrorCode.INVALID_COMMAND, `Invalid attribute path ${JSON.stringify(path)}: empty name`, {
      details: { path },
    });
  }
  return { name, child };
}
