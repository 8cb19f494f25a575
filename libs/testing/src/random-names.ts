import { randomBytes } from 'node:crypto';

/**
 * A short random identifier that is valid as a Postgres schema, a Kafka topic prefix and part of
 * a DynamoDB table name, so parallel tests sharing one stack never see each other's data.
 */
export function randomId(prefix = 't'): string {
  return `${prefix}${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}
