import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeKafkaAccessError, kafkaSecurity, type KafkaSecuritySettings } from './kafka-security';

const none: KafkaSecuritySettings = {
  PG2DDB_KAFKA_SSL: false,
  PG2DDB_KAFKA_SSL_CA_FILE: undefined,
  PG2DDB_KAFKA_SASL_MECHANISM: 'none',
  PG2DDB_KAFKA_SASL_USERNAME: undefined,
  PG2DDB_KAFKA_SASL_PASSWORD: undefined,
};
const dir = mkdtempSync(join(tmpdir(), 'kafka-security-'));
const caFile = join(dir, 'ca.crt');
writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

describe('kafkaSecurity', () => {
  it('adds nothing by default, TLS with the given CA and SCRAM credentials when configured', () => {
    expect(kafkaSecurity(none)).toEqual({});
    expect(
      kafkaSecurity({ ...none, PG2DDB_KAFKA_SSL: true, PG2DDB_KAFKA_SSL_CA_FILE: caFile, PG2DDB_KAFKA_SASL_MECHANISM: 'scram-sha-512', PG2DDB_KAFKA_SASL_USERNAME: 'u', PG2DDB_KAFKA_SASL_PASSWORD: 'p' }),
    ).toEqual({
      ssl: { ca: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'], rejectUnauthorized: true },
      sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
    });
    expect(kafkaSecurity({ ...none, PG2DDB_KAFKA_SSL: true })).toEqual({ ssl: true });
  });

  it('names every inconsistent setting and never the password', () => {
    expect(() => kafkaSecurity({ ...none, PG2DDB_KAFKA_SASL_MECHANISM: 'plain', PG2DDB_KAFKA_SSL_CA_FILE: join(dir, 'missing.crt') })).toThrow(
      expect.objectContaining({
        problems: [
          'PG2DDB_KAFKA_SASL_USERNAME is required with PG2DDB_KAFKA_SASL_MECHANISM=plain',
          'PG2DDB_KAFKA_SASL_PASSWORD is required with PG2DDB_KAFKA_SASL_MECHANISM=plain',
          'PG2DDB_KAFKA_SASL_MECHANISM=plain sends the password in clear: it needs PG2DDB_KAFKA_SSL=true',
          'PG2DDB_KAFKA_SSL_CA_FILE is set but PG2DDB_KAFKA_SSL is not true',
          `PG2DDB_KAFKA_SSL_CA_FILE=${join(dir, 'missing.crt')} cannot be read: ENOENT`,
        ],
      }),
    );
    expect(() => kafkaSecurity({ ...none, PG2DDB_KAFKA_SASL_PASSWORD: 'hunter2' })).toThrow(
      'PG2DDB_KAFKA_SASL_PASSWORD=*** is set but PG2DDB_KAFKA_SASL_MECHANISM=none: name the mechanism (e.g. scram-sha-512)',
    );
  });
});

describe('describeKafkaAccessError', () => {
  const scram: KafkaSecuritySettings = { ...none, PG2DDB_KAFKA_SSL: true, PG2DDB_KAFKA_SASL_MECHANISM: 'scram-sha-512', PG2DDB_KAFKA_SASL_USERNAME: 'svc', PG2DDB_KAFKA_SASL_PASSWORD: 's3cret' };

  it('tells a refused password from an untrusted certificate from a broker that is away', () => {
    const auth = Object.assign(new Error('SASL SCRAM SHA512 authentication failed: invalid credentials'), { name: 'KafkaJSSASLAuthenticationError' });
    expect(describeKafkaAccessError(auth, scram)).toMatchObject({
      code: 'KAFKA_AUTH_FAILED',
      message: 'Kafka refused the SASL credentials (mechanism scram-sha-512): check PG2DDB_KAFKA_SASL_USERNAME="svc" and PG2DDB_KAFKA_SASL_PASSWORD=*** (SASL SCRAM SHA512 authentication failed: invalid credentials)',
    });
    const tls = Object.assign(new Error('Connection error: self-signed certificate in certificate chain'), { name: 'KafkaJSConnectionError', code: 'SELF_SIGNED_CERT_IN_CHAIN' });
    expect(describeKafkaAccessError(tls, scram)).toMatchObject({ code: 'KAFKA_TLS_FAILED', message: expect.stringContaining('PG2DDB_KAFKA_SSL_CA_FILE=(system CAs)') });
    const away = Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'), { name: 'KafkaJSConnectionError', code: 'ECONNREFUSED' });
    expect(describeKafkaAccessError(away, scram)).toMatchObject({ code: 'KAFKA_UNREACHABLE', retriable: true });
    for (const error of [auth, tls, away]) expect(describeKafkaAccessError(error, scram).message).not.toContain('s3cret');
  });
});
