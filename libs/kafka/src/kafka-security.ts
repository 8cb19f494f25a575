import { readFileSync } from 'node:fs';
import { ConfigError } from '@pg2ddb/config';
import { Pg2ddbError } from '@pg2ddb/errors';
import type { Kafka, KafkaConfig, SASLOptions } from 'kafkajs';

/** The Kafka security settings of every service and the cli (kafkaEnv of @pg2ddb/config). */
export interface KafkaSecuritySettings {
  PG2DDB_KAFKA_SSL: boolean;
  PG2DDB_KAFKA_SSL_CA_FILE: string | undefined;
  PG2DDB_KAFKA_SASL_MECHANISM: 'none' | 'scram-sha-512' | 'scram-sha-256' | 'plain';
  PG2DDB_KAFKA_SASL_USERNAME: string | undefined;
  PG2DDB_KAFKA_SASL_PASSWORD: string | undefined;
}

/**
 * kafkajs's `ssl` and `sasl` options from the settings, checked together at boot: a mechanism
 * without user or password, a password sent in clear (plain without TLS) or an unreadable CA file
 * is a ConfigError naming the variables; the password itself is never part of a message.
 */
export function kafkaSecurity(settings: KafkaSecuritySettings): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const problems: string[] = [];
  const mechanism = settings.PG2DDB_KAFKA_SASL_MECHANISM;
  if (mechanism !== 'none') {
    if (!settings.PG2DDB_KAFKA_SASL_USERNAME) problems.push(`PG2DDB_KAFKA_SASL_USERNAME is required with PG2DDB_KAFKA_SASL_MECHANISM=${mechanism}`);
    if (!settings.PG2DDB_KAFKA_SASL_PASSWORD) problems.push(`PG2DDB_KAFKA_SASL_PASSWORD is required with PG2DDB_KAFKA_SASL_MECHANISM=${mechanism}`);
    if (mechanism === 'plain' && !settings.PG2DDB_KAFKA_SSL) problems.push('PG2DDB_KAFKA_SASL_MECHANISM=plain sends the password in clear: it needs PG2DDB_KAFKA_SSL=true');
  } else if (settings.PG2DDB_KAFKA_SASL_PASSWORD) {
    problems.push('PG2DDB_KAFKA_SASL_PASSWORD=*** is set but PG2DDB_KAFKA_SASL_MECHANISM=none: name the mechanism (e.g. scram-sha-512)');
  }
  let ca: string | undefined;
  if (settings.PG2DDB_KAFKA_SSL_CA_FILE !== undefined) {
    if (!settings.PG2DDB_KAFKA_SSL) problems.push('PG2DDB_KAFKA_SSL_CA_FILE is set but PG2DDB_KAFKA_SSL is not true');
    try {
      ca = readFileSync(settings.PG2DDB_KAFKA_SSL_CA_FILE, 'utf8');
      if (!ca.includes('-----BEGIN CERTIFICATE-----')) problems.push(`PG2DDB_KAFKA_SSL_CA_FILE=${settings.PG2DDB_KAFKA_SSL_CA_FILE} holds no PEM certificate`);
    } catch (error) {
      problems.push(`PG2DDB_KAFKA_SSL_CA_FILE=${settings.PG2DDB_KAFKA_SSL_CA_FILE} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const security: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  // Certificates are always verified (host name included); only the trusted CAs are configurable.
  if (settings.PG2DDB_KAFKA_SSL) security.ssl = ca === undefined ? true : { ca: [ca], rejectUnauthorized: true };
  if (mechanism !== 'none') {
    security.sasl = { mechanism, username: settings.PG2DDB_KAFKA_SASL_USERNAME, password: settings.PG2DDB_KAFKA_SASL_PASSWORD } as SASLOptions;
  }
  return security;
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|EPROTO|ERR_SSL|wrong version number/i;

/**
 * With TLS or SASL configured, connects once at boot and turns the ways a secure connection fails
 * into one clear error that names the setting to fix: refused SASL credentials
 * (KAFKA_AUTH_FAILED), a broker certificate the configured CA does not vouch for or a
 * TLS/plaintext mix-up (KAFKA_TLS_FAILED). Brokers that are merely down are left to the service's
 * own retries, as without security.
 */
export async function verifyKafkaAccess(kafka: Kafka, settings: KafkaSecuritySettings): Promise<void> {
  if (!settings.PG2DDB_KAFKA_SSL && settings.PG2DDB_KAFKA_SASL_MECHANISM === 'none') return;
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (error) {
    const described = describeKafkaAccessError(error, settings);
    if (described.code !== 'KAFKA_UNREACHABLE') throw described;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** The Pg2ddbError `verifyKafkaAccess` reports for a failed connection (exported for tests). */
export function describeKafkaAccessError(error: unknown, settings: KafkaSecuritySettings): Pg2ddbError {
  const chain: string[] = [];
  for (let cause: unknown = error; cause && chain.length < 5; cause = (cause as { cause?: unknown }).cause) {
    const e = cause as { name?: string; code?: string; message?: string };
    chain.push([e.name, e.code, e.message].filter(Boolean).join(' '));
  }
  const text = chain.join(' <- ');
  if (/SASL|Authentication failed|authentication/i.test(text)) {
    return new Pg2ddbError(
      'KAFKA_AUTH_FAILED',
      `Kafka refused the SASL credentials (mechanism ${settings.PG2DDB_KAFKA_SASL_MECHANISM}): check PG2DDB_KAFKA_SASL_USERNAME=${JSON.stringify(settings.PG2DDB_KAFKA_SASL_USERNAME ?? '')} and PG2DDB_KAFKA_SASL_PASSWORD=*** (${firstLine(error)})`,
      { cause: error },
    );
  }
  if (TLS_CODES.test(text)) {
    return new Pg2ddbError(
      'KAFKA_TLS_FAILED',
      `the TLS connection to Kafka failed: check PG2DDB_KAFKA_SSL=${settings.PG2DDB_KAFKA_SSL} (the listener must be SSL or SASL_SSL) and PG2DDB_KAFKA_SSL_CA_FILE=${settings.PG2DDB_KAFKA_SSL_CA_FILE ?? '(system CAs)'} (${text})`,
      { cause: error },
    );
  }
  return new Pg2ddbError('KAFKA_UNREACHABLE', `cannot reach Kafka: ${text}`, { retriable: true, cause: error });
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0] as string;
}
