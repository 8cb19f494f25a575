import type { DeleteCommand, PutCommand, SourceCoordinates, UpdateCommand } from '@pg2ddb/contracts';

const source: SourceCoordinates = {
  topic: 'pg.public.users',
  partition: 0,
  offset: '1',
  schema: 'public',
  table: 'users',
  lsn: null,
  txId: null,
  snapshot: false,
  committedAtMs: 0,
};

/** A version as the contract writes it: fixed-width lowercase hex. */
export function version(n: number): string {
  return n.toString(16).padStart(16, '0');
}

/** A put command for tests. */
export function putCommand(table: string, pk: string, n: number, attributes: PutCommand['item'] = {}): PutCommand {
  return { v: 1, op: 'put', table, key: { pk: { S: pk } }, entity: 'User', version: version(n), source, item: { pk: { S: pk }, ...attributes } };
}

/** An update command for tests. */
export function updateCommand(
  table: string,
  pk: string,
  n: number,
  set: UpdateCommand['set'],
  remove: string[] = [],
): UpdateCommand {
  return { v: 1, op: 'update', table, key: { pk: { S: pk } }, entity: 'User', version: version(n), source, set, remove };
}

/** A delete command for tests. */
export function deleteCommand(table: string, pk: string, n: number): DeleteCommand {
  return { v: 1, op: 'delete', table, key: { pk: { S: pk } }, entity: 'User', version: version(n), source };
}
