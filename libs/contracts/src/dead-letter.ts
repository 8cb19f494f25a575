/** The pipeline stage that gave up on a message. */
export type DeadLetterStage = 'transformer' | 'writer' | 'reconciler' | 'replay' | 'ddb-source' | 'pg-writer';

/** A message no stage could process: kept with the reason and everything needed to replay it. */
export interface DeadLetter {
  v: 1;
  stage: DeadLetterStage;
  /** Stable error code, e.g. `MAPPING_NUMBER_TOO_PRECISE`. */
  code: string;
  /** Human-readable reason naming what was wrong and where. */
  message: string;
  original: {
    topic: string;
    partition: number;
    offset: string;
    /** Message key and value as UTF-8 text, or base64 when not valid UTF-8 (see `encoding`). */
    key: string | null;
    value: string | null;
    encoding: 'utf8' | 'base64';
    headers: Record<string, string>;
    timestamp: string;
    /**
     * Set when the original was too large to carry whole: `value` holds only its first
     * `keptChars` characters and the whole message is still at topic/partition/offset (while that
     * topic's retention keeps it); `dlq replay` re-reads it from there.
     */
    truncated?: { valueBytes: number; keptChars: number; rest: string };
    /**
     * Set when row values were redacted (`PG2DDB_REDACT_VALUES`): `value` keeps the structure,
     * column and attribute names with every value `[redacted]` (null when the original was not
     * JSON); `key` is the original's. `dlq replay` re-reads the whole message from
     * topic/partition/offset.
     */
    redacted?: { valueBytes: number; rest: string };
  };
  /** Structured context (entity, column, value) when the stage had it. */
  details?: Record<string, unknown>;
  failedAt: string;
}
