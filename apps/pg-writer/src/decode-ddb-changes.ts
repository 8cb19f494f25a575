import { checkDdbChangeEvent, type DdbChangeEvent } from '@pg2ddb/contracts';
import { errorCode, errorMessage } from '@pg2ddb/errors';
import { planInboundChange, type InverseMapping, type PlannedInboundChange } from '@pg2ddb/mapping';
import type { KafkaMessage } from 'kafkajs';

export interface Undecodable {
  message: KafkaMessage;
  code: string;
  reason: string;
}

/**
 * Splits a batch into planned row changes (sorted by version, so one transaction applies them in
 * DynamoDB's order) and messages to dead-letter with the reason: not JSON, not a change event, or
 * an item the inverse mapping cannot turn into a row.
 */
export function decodeDdbChanges(inverse: InverseMapping, messages: readonly KafkaMessage[]): { changes: PlannedInboundChange[]; origins: KafkaMessage[]; bad: Undecodable[] } {
  const planned: Array<{ change: PlannedInboundChange; origin: KafkaMessage }> = [];
  const bad: Undecodable[] = [];
  for (const message of messages) {
    if (message.value === null) continue;
    let value: unknown;
    try {
      value = JSON.parse(message.value.toString('utf8'));
    } catch (error) {
      bad.push({ message, code: 'PG_WRITER_MALFORMED_EVENT', reason: `not JSON: ${(error as Error).message}` });
      continue;
    }
    const problem = checkDdbChangeEvent(value);
    if (problem) {
      bad.push({ message, code: 'PG_WRITER_MALFORMED_EVENT', reason: problem });
      continue;
    }
    try {
      planned.push({ change: planInboundChange(inverse, value as DdbChangeEvent, message.key?.toString('utf8') ?? ''), origin: message });
    } catch (error) {
      bad.push({ message, code: errorCode(error), reason: errorMessage(error) });
    }
  }
  planned.sort((a, b) => {
    const x = BigInt(a.change.version);
    const y = BigInt(b.change.version);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return { changes: planned.map((p) => p.change), origins: planned.map((p) => p.origin), bad };
}
