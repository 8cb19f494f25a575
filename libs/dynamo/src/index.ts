// Data access to DynamoDB for pg2ddb, in the pipeline's order: sdk/ (client, errors, AttributeValue
// conversion, item size), table/ (create, validate, tombstones), write/ (version-guarded writes,
// batches, retries), read/ (scans, batch gets, streams). Only what other projects use is exported;
// every function carries its doc comment at its source.
export { batchGetItems } from './read/batch-get-items';
export { countItems } from './read/count-items';
export { runInitialScan, type SegmentProgress } from './read/initial-scan';
export { scanEntityItems } from './read/scan-entity-items';
export { scanSegmentCount } from './read/scan-segments';
export { streamCaughtUp } from './read/stream-caught-up';
export { StreamPoller } from './read/stream-poller';
export { createStreamsClient, describeShards, ensureStream, readShardRecords, shardIterator } from './read/stream-reader';
export { createDynamoClient, type DynamoClientOptions } from './sdk/create-dynamo-client';
export { DynamoError, DynamoErrorCode } from './sdk/dynamo-error';
export { fromSdkItem } from './sdk/from-sdk-attribute-value';
export { itemSize, MAX_ITEM_BYTES } from './sdk/item-size';
export { toSdkItem } from './sdk/to-sdk-attribute-value';
export { ensureTable } from './table/ensure-table';
export { ensureTombstoneTable, TombstoneTables, tombstoneTableName } from './table/tombstone-table';
export { validateTable } from './table/validate-table';
export { applyBatch } from './write/apply-batch';
export { buildGuardedPut } from './write/guarded-put';
export { persistCommands, type PersistOptions, type PersistOutcome } from './write/persist-commands';
