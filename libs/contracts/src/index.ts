export type { AttributeMap, AttributeValue } from './attribute-value';
export type { DeadLetter, DeadLetterStage } from './dead-letter';
export {
  UNAVAILABLE_VALUE_PLACEHOLDER,
  type ConnectSchema,
  type DebeziumEnvelope,
  type DebeziumOp,
  type DebeziumPayload,
  type DebeziumSource,
  type Row,
} from './debezium-envelope';
export type { DriftEvent, DriftSummary, ReconcileMode } from './drift-event';
export { driftEventSchema, driftSummarySchema, validateDriftMessage } from './drift-schema';
export { changeTopic, ddbChangeTopic, topicNames, type TopicNames } from './topics';
export { checkDdbChangeEvent, type DdbChangeEvent, type DdbChangeOrigin } from './ddb-change-event';
export {
  writeCommandKey,
  type DeleteCommand,
  type PutCommand,
  type SourceCoordinates,
  type UpdateCommand,
  type WriteCommand,
} from './write-command';
export { RESERVED_ATTRIBUTES, type GsiSpec, type KeyAttribute, type TableSpec } from './table-spec';
export { checkWriteCommand } from './write-command-check';
export { checkSnapshotSweep, isSnapshotSweep, snapshotSweepKey, type SnapshotSweep } from './snapshot-sweep';
export { REDACTED, redactDeadLetter, redactDriftEvent, redactMessageValue, redactText } from './value-redaction';
