/**
 * @pg2ddb/reconcile — compares Postgres rows (mapped with the transformer's mapping) with DynamoDB
 * items, confirms drift after the pipeline caught up, publishes drift events, repairs through the
 * writes topic and keeps run history. Used by the reconciler service and `pg2ddb reconcile`.
 */
export { compareEntity, type CompareOptions, type CompareResult } from './compare-entity';
export { countSummary } from './count-summary';
export type { DriftCandidate } from './drift-candidate';
export { entityView, expectedItem, keyIdentity, sourceKeyOf, sourceKeyOfItem, type EntityView } from './entity-view';
export { confirmCandidates, type Confirmation } from './confirm-candidates';
export { repairDrift, type RepairResult } from './repair-drift';
export { runReconciliation, type EntityReport, type ReconcileContext, type ReconcileReport, type ReconcileRequest } from './run-reconciliation';
export { waitForPipeline, type PipelineProgress } from './wait-for-pipeline';
export { reconcileItemsToRows, type WayBackReport } from './reconcile-items-to-rows';
