/** Nest injection tokens of the alerter. */
export const ALERTER_CONFIG = Symbol('ALERTER_CONFIG');
export const ALERT_TARGETS = Symbol('ALERT_TARGETS');
