import { checkSnapshotSweep, checkWriteCommand, isSnapshotSweep, type SnapshotSweep, type WriteCommand } from '@pg2ddb/contracts';
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
 * Splits a batch into well-formed commands (in order), snapshot sweeps and messages to dead-letter
 * with the reason. Anyone who can produce to `<prefix>.writes` could otherwise make the writer
 * write to (or sweep) any table its credentials reach, or freeze an item (or delete a whole
 * entity) with a version no real change can ever beat.
 */
export function decodeCommands(
  messages: KafkaMessage[],
  scope: WriteScope,
): { commands: WriteCommand[]; origins: KafkaMessage[]; sweeps: SnapshotSweep[]; bad: Undecodable[] } {
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
      const outOfScope = wrong ? undefined : scopeProblem(value as SnapshotSweep, scope);
      if (wrong) bad.push({ message, code: 'WRITER_MALFORMED_COMMAND', reason: wrong });
      else if (outOfScope) bad.push({ message, ...outOfScope });
      else sweeps.push(value as SnapshotSweep);
      continue;
    }
    const problem = checkWriteCommand(value);
    if (problem) {
      bad.push({ message, code: 'WRITER_MALFORMED_COMMAND', reason: problem });
      continue;
    }
    const command = value as WriteCommand;
    const outOfScope = scopeProblem(command, scope);
    if (outOfScope) {
      bad.push({ message, ...outOfScope });
      continue;
    }
    commands.push(command);
    origins.push(message);
  }
  return { commands, origins, sweeps, bad };
}

/** Why a command or sweep is outside what this writer may do, or undefined when it is inside. */
function scopeProblem(target: { table: string; version: string }, scope: WriteScope): Pick<Undecodable, 'code' | 'reason'> | undefined {
  if (target.table !== scope.table) {
    return { code: 'WRITER_TABLE_NOT_ALLOWED', reason: `table ${JSON.stringify(target.table)} is not this writer's table "${scope.table}" (PG2DDB_MAPPING_FILE)` };
  }
  const beyond = versionBeyondSource(target.version, scope.maxEpoch);
  return beyond ? { code: 'WRITER_VERSION_OUT_OF_RANGE', reason: beyond } : undefined;
}
