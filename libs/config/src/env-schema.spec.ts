import { ConfigError, maskSecrets, parsers, readEnv } from './env-schema';
import { kafkaEnv, postgresEnv } from './service-config';

describe('readEnv', () => {
  it('reads values, applies defaults and parses types', () => {
    const values = readEnv(kafkaEnv, { PG2DDB_KAFKA_BROKERS: 'a:1, b:2' });
    expect(values).toEqual({
      PG2DDB_KAFKA_BROKERS: ['a:1', 'b:2'],
      PG2DDB_TOPIC_PREFIX: 'pg2ddb',
      PG2DDB_KAFKA_CLIENT_ID: 'pg2ddb',
      PG2DDB_KAFKA_SSL: false,
      PG2DDB_KAFKA_SSL_CA_FILE: undefined,
      PG2DDB_KAFKA_SASL_MECHANISM: 'none',
      PG2DDB_KAFKA_SASL_USERNAME: undefined,
      PG2DDB_KAFKA_SASL_PASSWORD: undefined,
    });
  });

  it('names every missing or invalid variable at once and masks secrets', () => {
    let caught: unknown;
    try {
      readEnv({ ...postgresEnv, PORT2: { description: 'p', parse: parsers.int(1, 10) } }, { PG2DDB_PG_PORT: 'abc', PORT2: '11' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).problems).toEqual([
      'PG2DDB_PG_PORT="abc" is invalid: not an integer (PostgreSQL port)',
      'PG2DDB_PG_USER is required (PostgreSQL user (needs REPLICATION for the connector))',
      'PG2DDB_PG_DATABASE is required (PostgreSQL database)',
      'PORT2="11" is invalid: must be between 1 and 10 (p)',
    ]);
    expect((caught as ConfigError).code).toBe('CONFIG_INVALID');
  });

  it('never shows a secret value', () => {
    const schema = { SECRET: { description: 's', secret: true, parse: parsers.int(1, 2) } };
    expect(() => readEnv(schema, { SECRET: 'hunter2' })).toThrow('SECRET=*** is invalid: not an integer (s)');
    expect(maskSecrets(schema, { SECRET: 1 })).toEqual({ SECRET: '***' });
  });

  it('parses booleans, urls and enumerations strictly', () => {
    expect(parsers.bool('TRUE')).toBe(true);
    expect(parsers.bool('off')).toBe(false);
    expect(() => parsers.bool('maybe')).toThrow('not a boolean (use true/false)');
    expect(parsers.url('http://h:1/')).toBe('http://h:1');
    expect(() => parsers.url('ftp://h')).toThrow('must be an http(s) URL');
    expect(() => parsers.oneOf('a', 'b')('c')).toThrow('must be one of a, b');
  });
});
