/** Nest injection tokens of the writer. */
export const WRITER_CONFIG = Symbol('WRITER_CONFIG');
export const DYNAMO_CLIENT = Symbol('DYNAMO_CLIENT');
/** The table this writer may write (the mapping's). */
export const WRITE_SCOPE = Symbol('WRITE_SCOPE');
