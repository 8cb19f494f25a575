export { ConfigError, maskSecrets, parsers, readEnv, type EnvSchema, type EnvValues, type EnvVar } from './env-schema';
export { connectEnv, consumerEnv, dynamoEnv, kafkaEnv, postgresEnv, serviceEnv, topicsEnv } from './service-config';
