/** Nest injection tokens of the writer. */
export const WRITER_CONFIG = Symbol('WRITER_CONFIG');
export const DYNAMO_CLIENT = Symbol('DYNAMO_CLIENT');
/** The sweeps' own DynamoDB client: a longer request timeout (PG2DDB_SWEEP_REQUEST_TIMEOUT_MS). */
export const SWEEP_DYNAMO_CLIENT = Symbol('SWEEP_DYNAMO_CLIENT');
/** The table this writer may write (the mapping's). */
export const WRITE_SCOPE = Symbol('WRITE_SCOPE');
