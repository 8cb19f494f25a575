import type { WriteCommand } from '@pg2ddb/contracts';

import { DynamoError, DynamoErrorCode } from '../sdk/dynamo-error';
import { isWellFormedVersion } from './version-guard';

/**
 * Rejects, as a permanent INVALID_COMMAND error, a command whose table, key or version would make
 * the write meaningless or the version guard wrong. Commands come from Kafka as JSON, so the type
 * alone proves nothing.
 */
export function checkCommand(command: WriteCommand): void {
  if (typeof command !== 'object' || command === null) throw invalid('not an object', command);
  if (typeof command.table !== 'string' || command.table === '') throw invalid('no table', command);
  if (!isWellFormedVersion(command.version)) {
    throw invalid(`version ${JSON.stringify(command.version)} is not lowercase hex`, command);
  }
  if (typeof command.key !== 'object' || command.key === null || Object.keys(command.key).length === 0) {
    throw invalid('empty key', command);
  }
}

function invalid(reason: string, command: unknown): DynamoError {
  const { table, entity, version } = (command ?? {}) as Partial<WriteCommand>;
  return new DynamoError(DynamoErrorCode.INVALID_COMMAND, `Invalid write command: ${reason}`, {
    details: { table, entity, version },
  });
}
