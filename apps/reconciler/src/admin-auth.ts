import { timingSafeEqual } from 'node:crypto';

/** What a bearer token may do on the reconciler's admin endpoint. */
export type AdminPermission = 'none' | 'reconcile' | 'repair';

/**
 * The permission an `Authorization` header grants: the admin token (PG2DDB_RECONCILER_TOKEN)
 * may start comparisons, the repair token (PG2DDB_REPAIR_TOKEN) may also repair. Tokens are
 * compared in constant time, so a guess does not learn how much of it was right.
 */
export function adminPermission(header: string | undefined, tokens: { admin?: string; repair?: string }): AdminPermission {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  if (!match) return 'none';
  const given = Buffer.from(match[1] as string);
  if (sameToken(given, tokens.repair)) return 'repair';
  return sameToken(given, tokens.admin) ? 'reconcile' : 'none';
}

function sameToken(given: Buffer, token: string | undefined): boolean {
  if (token === undefined || token.length === 0) return false;
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
