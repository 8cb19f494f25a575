import { timingSafeEqual } from 'node:crypto';

/**
 * True when `Authorization: Bearer <token>` carries the admin token (compared in constant time).
 * Always false when no token is configured: actions are then off.
 */
export function isAdmin(authorization: string | undefined, token: string | undefined): boolean {
  if (!token || !authorization) return false;
  const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  if (!match) return false;
  const given = Buffer.from(match[1] as string);
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
