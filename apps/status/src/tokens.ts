/** Injection tokens of the status service. */
export const STATUS_CONFIG = Symbol('STATUS_CONFIG');
export const PIPELINE_CLIENTS = Symbol('PIPELINE_CLIENTS');
