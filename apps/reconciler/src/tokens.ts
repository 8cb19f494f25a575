/** Nest injection tokens of the reconciler. */
export const RECONCILER_CONFIG = Symbol('RECONCILER_CONFIG');
export const COMPILED_MAPPING = Symbol('COMPILED_MAPPING');
export const PG_POOL = Symbol('PG_POOL');
export const DYNAMO_CLIENT = Symbol('DYNAMO_CLIENT');
export const KAFKA = Symbol('KAFKA');
