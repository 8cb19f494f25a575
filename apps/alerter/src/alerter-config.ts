import { ConfigError, kafkaEnv, parsers, readEnv, serviceEnv, type EnvVar } from '@pg2ddb/config';

const { bool, int, string, url } = parsers;
const { PG2DDB_HTTP_PORT, PG2DDB_HTTP_HOST, PG2DDB_LOG_FORMAT, PG2DDB_LOG_LEVEL } = serviceEnv;

/** Everything the alerter reads from its environment, validated at boot (it needs no mapping). */
export const alerterEnv = {
  ...kafkaEnv,
  PG2DDB_HTTP_PORT,
  PG2DDB_HTTP_HOST,
  PG2DDB_LOG_FORMAT,
  PG2DDB_LOG_LEVEL,
  PG2DDB_ALERTMANAGER_URL: { description: 'Alertmanager base URL; alerts go to <url>/api/v2/alerts', default: undefined, parse: url } as EnvVar<string | undefined>,
  PG2DDB_ALERT_WEBHOOK_URL: { description: 'generic webhook URL; alerts are POSTed as JSON (version pg2ddb.alerts.v1)', default: undefined, parse: url } as EnvVar<string | undefined>,
  PG2DDB_ALERT_WEBHOOK_TOKEN: { description: 'bearer token sent to the webhook', secret: true, default: undefined, parse: string } as EnvVar<string | undefined>,
  PG2DDB_ALERT_TTL_SECONDS: { description: "a firing alert's endsAt: it lapses that long after the alerter last re-sent it", default: 900, parse: int(60, 86400) } as EnvVar<number>,
  PG2DDB_ALERT_RESEND_SECONDS: { description: 'seconds between re-sends of the firing alerts', default: 60, parse: int(1, 3600) } as EnvVar<number>,
  PG2DDB_ALERT_SEVERITY: { description: 'severity label of drift alerts', default: 'warning', parse: string } as EnvVar<string>,
  PG2DDB_ALERTER_FROM_BEGINNING: { description: 'a new consumer group starts at the oldest drift message (true) or the newest (false)', default: false, parse: bool } as EnvVar<boolean>,
};

export type AlerterConfig = ReturnType<typeof readAlerterConfig>;

/** Reads the alerter's configuration; throws a ConfigError naming every bad variable. */
export function readAlerterConfig(env: Record<string, string | undefined> = process.env) {
  const config = readEnv(alerterEnv, env);
  const problems: string[] = [];
  if (!config.PG2DDB_ALERTMANAGER_URL && !config.PG2DDB_ALERT_WEBHOOK_URL) {
    problems.push('set PG2DDB_ALERTMANAGER_URL or PG2DDB_ALERT_WEBHOOK_URL (or both): the alerter has nowhere to send alerts');
  }
  if (config.PG2DDB_ALERT_TTL_SECONDS <= config.PG2DDB_ALERT_RESEND_SECONDS * 2) {
    problems.push(
      `PG2DDB_ALERT_TTL_SECONDS=${config.PG2DDB_ALERT_TTL_SECONDS} must exceed twice PG2DDB_ALERT_RESEND_SECONDS=${config.PG2DDB_ALERT_RESEND_SECONDS}, or firing alerts lapse between re-sends`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
