import type { DebeziumOp, DebeziumSource } from '@pg2ddb/contracts';
import { Pg2ddbError } from '@pg2ddb/errors';

/**
 * Source versions order every change of a row the way Postgres committed them.
 *
 * A change's own `source.lsn` is not monotonic in delivery order (transactions interleave in the
 * WAL but are delivered in commit order), so the version is built from three parts:
 *   1. the commit-side position of the transaction: Debezium's `source.sequence[0]`
 *      (`lastCommitLsn`, the end of the previous transaction's commit record), which only grows
 *      from one delivered transaction to the next;
 *   2. the change's own LSN, which orders changes inside one transaction;
 *   3. an operation rank, so a delete sorts before the create at the same position
 *      (a primary-key change arrives as a delete plus a create).
 * Snapshot reads take the snapshot's LSN as part 1 and zero as part 2, so any change streamed
 * after the snapshot point (whose part 1 is at least the snapshot LSN and part 2 positive) wins.
 *
 * Each part is fixed-width lowercase hex, so comparing two versions as plain strings — as a
 * DynamoDB condition expression does — compares them numerically.
 *
 * The source epoch (PG2DDB_SOURCE_EPOCH) counts WAL histories: LSNs restart lower when the source
 * moves to a new cluster (dump/restore, blue/green, an upgrade by logical replication), so every
 * change after the move would look older than what DynamoDB holds. Epoch 0 keeps the original
 * 33-character format, so items written before epochs existed stay comparable; epoch N ≥ 1 puts N
 * as 4 hex digits in front (37 characters). An epoch-0 version starts with `0000` as long as its
 * LSN is below 2^48 (`10000/0`, 256 TiB of WAL), so it sorts below every epoch ≥ 1 version.
 */
export interface VersionParts {
  commitLsn: bigint;
  changeLsn: bigint;
  rank: 0 | 1;
  /** The source epoch (0 when absent). */
  epoch?: number;
}

/** The highest source epoch: 4 hex digits. */
export const MAX_SOURCE_EPOCH = 0xffff;
/** Epoch-0 LSNs must stay below this for epoch ≥ 1 versions to sort above them. */
export const EPOCH_ZERO_LSN_LIMIT = 1n << 48n;
const VERSION_FORMAT = /^(?:[0-9a-f]{4})?[0-9a-f]{32}[01]$/;

const LSN_WIDTH = 16;
const MAX_LSN = (1n << 64n) - 1n;

/** The version of one Debezium change event in a source epoch. Throws when the event carries no usable position. */
export function sourceVersion(source: DebeziumSource, op: DebeziumOp, epoch = 0): string {
  return formatVersion({ ...versionParts(source, op), epoch });
}

/** The parts of a change event's version (see the module comment for the rules). */
export function versionParts(source: DebeziumSource, op: DebeziumOp): VersionParts {
  const rank: 0 | 1 = op === 'd' ? 0 : 1;
  const lsn = toLsn(source.lsn, 'source.lsn');
  if (isSnapshot(source) || op === 'r') {
    // Incremental snapshot reads (execute-snapshot signal) carry no lsn: their sequence holds the
    // stream position of the chunk's closing watermark. Every change the chunk does not already
    // reflect is streamed after it, with a larger commit-side position, so it still wins.
    const position = lsn ?? (source.snapshot === 'incremental' ? incrementalPosition(source.sequence) : undefined);
    if (position === undefined) throw positionError('snapshot event has no source.lsn');
    return { commitLsn: position, changeLsn: 0n, rank };
  }
  const [lastCommit, changeFromSequence] = parseSequence(source.sequence);
  const changeLsn = changeFromSequence ?? lsn;
  if (changeLsn === undefined) throw positionError('change event has neither source.lsn nor source.sequence');
  // The first transaction streamed after a (re)start carries no lastCommitLsn (`[null, lsn]`, seen
  // with Debezium 3.2). Its changes all lie after the snapshot point (the slot waits for running
  // transactions before it becomes consistent), so its own LSN is a sound commit-side position.
  return { commitLsn: lastCommit ?? changeLsn, changeLsn, rank };
}

/** Fixed-width hex rendering of version parts; string order equals (epoch, commit, change, rank) order. */
export function formatVersion(parts: VersionParts): string {
  const epoch = parts.epoch ?? 0;
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > MAX_SOURCE_EPOCH) throw positionError(`source epoch ${epoch} is not an integer from 0 to ${MAX_SOURCE_EPOCH}`);
  const body = `${hex(parts.commitLsn)}${hex(parts.changeLsn)}${parts.rank}`;
  return epoch === 0 ? body : `${epoch.toString(16).padStart(4, '0')}${body}`;
}

/** The inverse of formatVersion. Throws on anything that is not a version string. */
export function parseVersion(version: string): VersionParts {
  if (!VERSION_FORMAT.test(version)) throw positionError(`not a source version: ${JSON.stringify(version)}`);
  const epoch = version.length === 37 ? Number.parseInt(version.slice(0, 4), 16) : 0;
  const body = version.length === 37 ? version.slice(4) : version;
  return {
    commitLsn: BigInt(`0x${body.slice(0, LSN_WIDTH)}`),
    changeLsn: BigInt(`0x${body.slice(LSN_WIDTH, 2 * LSN_WIDTH)}`),
    rank: body.endsWith('0') ? 0 : 1,
    ...(epoch === 0 ? {} : { epoch }),
  };
}

/** True when the event was read by a (full or incremental) snapshot rather than streamed. */
export function isSnapshot(source: DebeziumSource): boolean {
  const flag = source.snapshot;
  if (typeof flag === 'boolean') return flag;
  return flag !== undefined && flag !== null && flag !== 'false';
}

/** Renders an LSN (as Postgres prints it, `16/B374D848`) from its numeric value. */
export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

function incrementalPosition(sequence: string | null | undefined): bigint | undefined {
  const [lastCommit, change] = parseSequence(sequence);
  return change ?? lastCommit;
}

function parseSequence(sequence: string | null | undefined): [bigint | undefined, bigint | undefined] {
  if (sequence === undefined || sequence === null || sequence === '') return [undefined, undefined];
  let parsed: unknown;
  try {
    parsed = JSON.parse(sequence);
  } catch {
    throw positionError(`source.sequence is not JSON: ${JSON.stringify(sequence)}`);
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) {
    throw positionError(`source.sequence is not a [lastCommitLsn, lsn] pair: ${JSON.stringify(sequence)}`);
  }
  return [toLsn(parsed[0], 'source.sequence[0]'), toLsn(parsed[1], 'source.sequence[1]')];
}

function toLsn(value: unknown, where: string): bigint | undefined {
  if (value === undefined || value === null) return undefined;
  let lsn: bigint;
  if (typeof value === 'bigint') lsn = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) lsn = BigInt(value);
  else if (typeof value === 'string' && /^\d+$/.test(value)) lsn = BigInt(value);
  else throw positionError(`${where} is not an LSN: ${JSON.stringify(String(value))}`);
  if (lsn < 0n || lsn > MAX_LSN) throw positionError(`${where} is out of range: ${lsn}`);
  return lsn;
}

/** A change event whose position cannot be read: permanent, the event goes to the DLQ. */
function positionError(message: string): Pg2ddbError {
  return new Pg2ddbError('SOURCE_POSITION_INVALID', message);
}

function hex(value: bigint): string {
  return value.toString(16).padStart(LSN_WIDTH, '0');
}

/**
 * Why a command's version is beyond anything the source can produce, or undefined when it is not:
 * an epoch above `maxEpoch` (the deployment's PG2DDB_SOURCE_EPOCH) or an LSN at or above 2^48
 * (256 TiB of WAL, the bound the epoch scheme already assumes). The writer refuses such a command:
 * a forged message with an enormous version would otherwise freeze its item for good, since every
 * real change would then look older. Assumes a well-formed version (`parseVersion` throws otherwise).
 */
export function versionBeyondSource(version: string, maxEpoch: number): string | undefined {
  const parts = parseVersion(version);
  const epoch = parts.epoch ?? 0;
  if (epoch > maxEpoch) return `version ${version} has source epoch ${epoch}, above this deployment's PG2DDB_SOURCE_EPOCH=${maxEpoch}`;
  const lsn = parts.commitLsn > parts.changeLsn ? parts.commitLsn : parts.changeLsn;
  if (lsn >= EPOCH_ZERO_LSN_LIMIT) return `version ${version} carries LSN ${formatLsn(lsn)}, beyond ${formatLsn(EPOCH_ZERO_LSN_LIMIT)} (256 TiB of WAL), which no source produces`;
  return undefined;
}
