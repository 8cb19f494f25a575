import { connectorGrantStatements, reconcilerGrantStatements } from './role-grants';

describe('least-privilege grants', () => {
  it('gives the connector role SELECT on the captured tables and writes only to the signal and heartbeat tables', () => {
    expect(
      connectorGrantStatements({
        role: 'pg2ddb_connector',
        publication: 'pg2ddb_shop',
        tables: ['app.orders', 'sales.items'],
        signalTable: 'app.pg2ddb_signal_shop',
        heartbeatTable: 'app.pg2ddb_heartbeat_shop',
      }),
    ).toEqual([
      'GRANT USAGE ON SCHEMA "app" TO "pg2ddb_connector"',
      'GRANT USAGE ON SCHEMA "sales" TO "pg2ddb_connector"',
      'GRANT SELECT ON "app"."orders", "sales"."items", "app"."pg2ddb_signal_shop", "app"."pg2ddb_heartbeat_shop" TO "pg2ddb_connector"',
      'GRANT INSERT ON "app"."pg2ddb_signal_shop" TO "pg2ddb_connector"',
      'GRANT INSERT, UPDATE ON "app"."pg2ddb_heartbeat_shop" TO "pg2ddb_connector"',
    ]);
  });

  it('gives the reconciler role SELECT on the mapped tables and writes only to its run history', () => {
    expect(reconcilerGrantStatements('pg2ddb_reconciler', ['app.orders'])).toEqual([
      'GRANT USAGE ON SCHEMA "app" TO "pg2ddb_reconciler"',
      'GRANT SELECT ON "app"."orders" TO "pg2ddb_reconciler"',
      'GRANT USAGE ON SCHEMA "pg2ddb" TO "pg2ddb_reconciler"',
      'GRANT SELECT ON ALL TABLES IN SCHEMA "pg2ddb" TO "pg2ddb_reconciler"',
      'GRANT INSERT, UPDATE ON "pg2ddb".reconciliation_runs, "pg2ddb".run_history TO "pg2ddb_reconciler"',
      'GRANT USAGE ON ALL SEQUENCES IN SCHEMA "pg2ddb" TO "pg2ddb_reconciler"',
    ]);
  });

  it('refuses a table name that is not schema.table', () => {
    expect(() => reconcilerGrantStatements('r', ['orders'])).toThrow('table must be "schema.table", got "orders"');
  });
});
