import { RESERVED_ATTRIBUTES } from '@pg2ddb/contracts';

/**
 * The condition every pg2ddb write carries (invariant 2, no stale overwrite): write only when the
 * item has no version yet or an older one. Versions are fixed-width lowercase hex, so DynamoDB's
 * string `<` is source order; an equal version is a replay and counts as stale.
 */
export const VERSION_GUARD = {
  condition: 'attribute_not_exists(#ver) OR #ver < :ver',
  nameToken: '#ver',
  valueToken: ':ver',
  attribute: RESERVED_ATTRIBUTES.version,
} as const;

const VERSION_FORMAT = /^[0-9a-f]+$/;

/** True when the version has the contract's shape (non-empty lowercase hex). */
export function isWellFormedVersion(version: unknown): version is string {
  return typeof version === 'string' && VERSION_FORMAT.test(version);
}
