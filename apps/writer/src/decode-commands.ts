import { checkWriteCommand, type WriteCommand } from '@pg2ddb/contracts';
import { versionBeyondSource } from '@pg2ddb/sync';
import type { KafkaMessage } from 'kafkajs';

export interface Undecodable {
  message: KafkaMessage;
  code: 'WRITER_MALFORMED_COMMAND' | 'WRITER_TABLE_NOT_ALLOWED' | 'WRITER_VERSION_OUT_OF_RANGE';
  reason: string;
}

/** Where this writer may write: the mapping's table (its tombstone table is derived from it). */
export interface WriteScope {
  table: string;
  /** The deployment's PG2DDB_SOURCE_EPOCH: no real command carries a later one. */
  maxEpoch: number;
}

/**
 * Splits a batch into well-formed commands (in order) and messages to dead-letter with the reason.
 * Anyone who can produce to `<prefix>.writes` could otherwise make the writer write to any table
 * its credentials reach, or freeze an item with a version no real change can ever beat.
 */
export function decodeCommands(messages: KafkaMessage[], scope: WriteScope): { commands: WriteCommand[]; origins: KafkaMessage[]; bad: Undecodable[] } {
  const commands: WriteCommand[] = [];
  const origins: KafkaMessage[] = [];
  const bad: Undecodable[] = [];
  for (const message of messages) {
    if (message.value === null) continue; // a tombstone carries nothing to write
    let value: unknown;
    try {
      value = JSON.parse(message.value.toString('utf8'));
    } catch (error) {
      bad.push({ message, code: 'WRITER_MALFORMED_COMMAND', reason: `not JSON: ${(error as Error).message}` });
      continue;
    }
    const problem = checkWriteCommand(value);
    if (problem) {
      bad.push({ message, code: 'WRITER_MALFORMED_COMMAND', reason: problem });
      continue;
    }
    const command = value as WriteCommand;
    if (command.table !== scope.table) {
      bad.push({ message, code: 'WRITER_TABLE_NOT_ALLOWED', reason: `table ${JSON.stringify(command.table)} is not this writer's table "${scope.table}" (PG2DDB_MAPPING_FILE)` });
      continue;
    }
    const beyond = versionBeyondSource(command.version, scope.maxEpoch);
    if (beyond) {
      bad.push({ message, code: 'WRITER_VERSION_OUT_OF_RANGE', reason: beyond });
      continue;
    }
    commands.push(command);
    origins.push(message);
  }
  return { commands, origins, bad };
}
