import type { DebeziumEnvelope } from '@pg2ddb/contracts';

import { EnvelopeDecoder } from './envelope-decoder';

// One per process: each table's Connect schema (~80% of an event's bytes) is parsed once, not per event.
const decoder = new EnvelopeDecoder();

/**
 * A change topic's message value as a Debezium change event (`{"schema":…,"payload":{op, source, …}}`,
 * numbers kept exact); throws, naming what is missing, when the value is not one.
 */
export function decodeChangeEvent(value: Buffer | string): DebeziumEnvelope {
  const parsed = decoder.decode(value) as Partial<DebeziumEnvelope> | null;
  const payload = parsed && typeof parsed === 'object' ? parsed.payload : undefined;
  if (!payload || typeof payload !== 'object') {
    throw new Error('not a Debezium envelope: no payload (is value.converter.schemas.enable=true?)');
  }
  if (typeof payload.op !== 'string' || !payload.source || typeof payload.source !== 'object') {
    throw new Error('not a Debezium change event: missing op or source');
  }
  return parsed as DebeziumEnvelope;
}
