import { readAlerterConfig } from './alerter-config';

const base = { PG2DDB_KAFKA_BROKERS: '127.0.0.1:9092' };

describe('readAlerterConfig', () => {
  it('needs at least one target and a TTL that outlives two re-sends', () => {
    expect(() => readAlerterConfig(base)).toThrow(
      'set PG2DDB_ALERTMANAGER_URL or PG2DDB_ALERT_WEBHOOK_URL (or both): the alerter has nowhere to send alerts',
    );
    expect(() => readAlerterConfig({ ...base, PG2DDB_ALERT_WEBHOOK_URL: 'http://hooks:8080/x', PG2DDB_ALERT_TTL_SECONDS: '100', PG2DDB_ALERT_RESEND_SECONDS: '60' })).toThrow(
      'PG2DDB_ALERT_TTL_SECONDS=100 must exceed twice PG2DDB_ALERT_RESEND_SECONDS=60, or firing alerts lapse between re-sends',
    );
    expect(() => readAlerterConfig({ ...base, PG2DDB_ALERTMANAGER_URL: 'ftp://am' })).toThrow(/PG2DDB_ALERTMANAGER_URL="ftp:\/\/am" is invalid: must be an http\(s\) URL/);
  });

  it('reads the defaults and trims a trailing slash of the URL', () => {
    const config = readAlerterConfig({ ...base, PG2DDB_ALERTMANAGER_URL: 'http://alertmanager:9093/' });
    expect(config).toMatchObject({
      PG2DDB_ALERTMANAGER_URL: 'http://alertmanager:9093',
      PG2DDB_ALERT_WEBHOOK_URL: undefined,
      PG2DDB_ALERT_TTL_SECONDS: 900,
      PG2DDB_ALERT_RESEND_SECONDS: 60,
      PG2DDB_ALERT_SEVERITY: 'warning',
      PG2DDB_ALERTER_FROM_BEGINNING: false,
      PG2DDB_TOPIC_PREFIX: 'pg2ddb',
    });
  });
});
