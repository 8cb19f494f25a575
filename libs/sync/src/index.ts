export {
  formatLsn,
  formatVersion,
  isSnapshot,
  parseVersion,
  EPOCH_ZERO_LSN_LIMIT,
  MAX_SOURCE_EPOCH,
  sourceVersion,
  versionBeyondSource,
  versionParts,
  type VersionParts,
} from './source-version';
export { attributeValuesEqual, normalizeNumber } from './attribute-equality';
export { diffItems, type AttributeDifference, type DiffOptions, type DriftKind, type ItemDiff } from './diff-items';
export { planItemWrites, type CommandFate, type ItemWrite, type StoredVersions, type WritePlan } from './plan-item-writes';
export { SCAN_VERSION, scannedItemToChange, streamRecordToChange, type StreamRecordImages } from './stream-record-change';
export { readableShards, shardStart, type ShardInfo, type ShardPosition, type ShardStart } from './shard-lineage';
export { completedSnapshotSweep, sweepDeletes, type SweepTarget } from './snapshot-sweep-plan';
