/** Nest injection tokens of the transformer. */
export const TRANSFORMER_CONFIG = Symbol('TRANSFORMER_CONFIG');
export const COMPILED_MAPPING = Symbol('COMPILED_MAPPING');
