export { ConfigError, maskSecrets, parsers, readEnv, type EnvSchema, type EnvValues, type EnvVar } from './env-schema';
export { adminPortEnv, connectEnv, consumerEnv, dynamoEnv, kafkaEnv, postgresEnv, serviceEnv, sourceEnv, topicsEnv } from './service-config';
