/** Nest injection tokens of the DynamoDB source. */
export const DDB_SOURCE_CONFIG = Symbol('DDB_SOURCE_CONFIG');
export const MAPPING = Symbol('MAPPING');
export const DYNAMO_CLIENT = Symbol('DYNAMO_CLIENT');
export const STREAMS_CLIENT = Symbol('STREAMS_CLIENT');
export const PG_POOL = Symbol('PG_POOL');
