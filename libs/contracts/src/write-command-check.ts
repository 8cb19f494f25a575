import type { WriteCommand } from './write-command';

// 33 hex characters, or 37 with the 4-digit source epoch in front (see libs/sync source-version.ts).
const VERSION = /^(?:[0-9a-f]{4})?[0-9a-f]{32}[01]$/;

/**
 * Checks that a decoded message has the shape of a write command; returns what is wrong, or
 * undefined when it is fine. The writer dead-letters anything that fails, naming the field.
 */
export function checkWriteCommand(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'write command must be a JSON object';
  const command = value as Partial<WriteCommand> & Record<string, unknown>;
  if (command.v !== 1) return `unsupported write command version ${JSON.stringify(command.v)} (expected 1)`;
  if (command.op !== 'put' && command.op !== 'update' && command.op !== 'delete') return `unknown op ${JSON.stringify(command.op)}`;
  if (typeof command.table !== 'string' || command.table.length < 3) return 'table must be a DynamoDB table name';
  if (!isObject(command.key) || Object.keys(command.key).length === 0) return 'key must be a non-empty attribute map';
  if (typeof command.version !== 'string' || !VERSION.test(command.version)) return `version ${JSON.stringify(command.version)} is not a source version`;
  if (typeof command.entity !== 'string') return 'entity must be a string';
  if (!isObject(command.source)) return 'source coordinates are missing';
  if (command.op === 'put' && !isObject(command.item)) return 'put needs an item';
  if (command.op === 'update' && (!isObject(command.set) || !Array.isArray(command.remove))) return 'update needs set (object) and remove (array)';
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
