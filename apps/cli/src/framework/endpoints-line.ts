/** A service a command talks to. */
export type Dependency = 'postgres' | 'kafka' | 'connect' | 'dynamo';

/**
 * One line naming the endpoints a command will use and where the settings came from, so an
 * operator sees at once when a shell points at the wrong place. Never fails: an unset setting is
 * shown as unset with the variable and flag that set it (the command then fails on it, exit 2).
 */
export function endpointsLine(env: Record<string, string | undefined>, uses: readonly Dependency[], source: { stackFile?: string; fromFlags: readonly string[] }): string {
  const parts: string[] = [];
  for (const dependency of uses) {
    if (dependency === 'postgres') {
      const user = env.PG2DDB_PG_USER || '(unset PG2DDB_PG_USER)';
      const database = env.PG2DDB_PG_DATABASE || '(unset PG2DDB_PG_DATABASE)';
      parts.push(`PostgreSQL ${user}@${env.PG2DDB_PG_HOST || '127.0.0.1'}:${env.PG2DDB_PG_PORT || '5432'}/${database}`);
    } else if (dependency === 'kafka') {
      parts.push(`Kafka ${env.PG2DDB_KAFKA_BROKERS || '(unset: PG2DDB_KAFKA_BROKERS or --brokers)'}`);
    } else if (dependency === 'connect') {
      parts.push(`Kafka Connect ${env.PG2DDB_CONNECT_URL || 'http://127.0.0.1:8083 (default)'}`);
    } else {
      const where = env.PG2DDB_DYNAMO_ENDPOINT || 'AWS';
      parts.push(`DynamoDB ${where} (region ${env.AWS_REGION || 'us-east-1'}${env.AWS_PROFILE ? `, profile ${env.AWS_PROFILE}` : ''})`);
    }
  }
  const from = ['environment', ...(source.fromFlags.length > 0 ? [`flags (${source.fromFlags.join(', ')})`] : []), ...(source.stackFile ? [`local stack ${source.stackFile}`] : [])];
  return `pg2ddb: using ${parts.join(' · ')}; settings from ${from.join(', ')}`;
}
