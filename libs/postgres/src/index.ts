export { createPgPool, quoteIdent, type PgConnection } from './pg-pool';
export { dropPublication, dropReplicationSlot } from './replication';
export { countRows } from './count-rows';
