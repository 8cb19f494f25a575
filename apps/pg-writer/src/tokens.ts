/** Nest injection tokens of the PostgreSQL writer. */
export const PG_WRITER_CONFIG = Symbol('PG_WRITER_CONFIG');
export const PG_POOL = Symbol('PG_POOL');
export const INVERSE_MAPPING = Symbol('INVERSE_MAPPING');
