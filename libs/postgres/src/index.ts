export { createPgPool, quoteIdent, type PgConnection } from './pg-pool';
export { dropPublication, dropReplicationSlot } from './replication';
