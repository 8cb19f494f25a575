// Data access to DynamoDB for pg2ddb: the client, version-guarded writes, batch apply with
// retries, table create/validate. Every exported function carries its doc comment at its source.
export { applyBatch, type ApplyBatchOptions, type BatchResult, type CommandOutcome, type RetryEvent } from './apply-batch';
export { applyCommand, type ApplyOutcome } from './apply-command';
export { parseAttributePath, type AttributePath } from './attribute-path';
export { backoffDelay, type RetryPolicy } from './backoff-delay';
export { classifyDynamoError, isConditionalCheckFailed } from './classify-dynamo-error';
export { createDynamoClient, type DynamoClientOptions } from './create-dynamo-client';
export { describeTableSummary, type TableSummary } from './describe-table-summary';
export { DynamoError, DynamoErrorCode } from './dynamo-error';
export { buildEnsureParentMaps } from './ensure-parent-maps';
export { ensureTable, type EnsureTableOptions, type EnsureTableResult } from './ensure-table';
export { findTableProblems, type TableProblem, type TableProblemKind } from './find-table-problems';
export { fromSdkAttributeValue, fromSdkItem } from './from-sdk-attribute-value';
export { buildGuardedDelete } from './guarded-delete';
export { buildGuardedPut } from './guarded-put';
export { buildGuardedUpdate } from './guarded-update';
export { tableSpecToCreateInput, type BillingMode } from './table-spec-to-create-input';
export { toSdkAttributeValue, toSdkItem } from './to-sdk-attribute-value';
export { validateTable } from './validate-table';
export { VERSION_GUARD } from './version-guard';
export { countItems } from './count-items';
export { itemSize, MAX_ITEM_BYTES, significantDigits, valueSize } from './item-size';
export { scanEntityItems, type ScanEntityOptions } from './scan-entity-items';
export { batchGetItems } from './batch-get-items';
export { persistCommands, type PersistOptions, type PersistOutcome, type PersistResult } from './persist-commands';
export { ensureTombstoneTable, TombstoneTables, tombstoneTableName, TOMBSTONES } from './tombstone-table';
export { itemIdentity } from './item-identity';
export type { DynamoRetryEvent } from './dynamo-retry';
