import { checkSnapshotSweep, checkWriteCommand, isSnapshotSweep, type SnapshotSweep, type WriteCommand } from '@pg2ddb/contracts';
import type { KafkaMessage } from 'kafkajs';

export interface Undecodable {
  message: KafkaMessage;
  code: 'WRITER_MALFORMED_COMMAND';
  reason: string;
}

/**
 * Splits a batch into well-formed commands (in order), snapshot sweeps and messages to
 * dead-letter with the reason.
 */
export function decodeCommands(messages: KafkaMessage[]): { commands: WriteCommand[]; origins: KafkaMessage[]; sweeps: SnapshotSweep[]; bad: Undecodable[] } {
  const commands: WriteCommand[] = [];
  const sweeps: SnapshotSweep[] = [];
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
    if (isSnapshotSweep(value)) {
      const wrong = checkSnapshotSweep(value);
      if (wrong) bad.push({ message, code: 'WRITER_MALFORMED_COMMAND', reason: wrong });
      else sweeps.push(value as SnapshotSweep);
      continue;
    }
    const problem = checkWriteCommand(value);
    if (problem) {
      bad.push({ message, code: 'WRITER_MALFORMED_COMMAND', reason: problem });
      continue;
    }
    commands.push(value as WriteCommand);
    origins.push(message);
  }
  return { commands, origins, sweeps, bad };
}
