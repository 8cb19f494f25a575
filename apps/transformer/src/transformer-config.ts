import { consumerEnv, kafkaEnv, topicsEnv, parsers, readEnv, serviceEnv, sourceEnv } from '@pg2ddb/config';

/** Everything the transformer reads from its environment, validated at boot. */
export const transformerEnv = {
  ...kafkaEnv,
  ...topicsEnv,
  ...consumerEnv,
  ...serviceEnv,
  ...sourceEnv,
  PG2DDB_TRANSFORMER_PARTITIONS_CONCURRENTLY: { description: 'change-topic partitions processed at once', default: 4, parse: parsers.int(1, 256) },
};

export type TransformerConfig = ReturnType<typeof readTransformerConfig>;

/** Reads the transformer's configuration; throws a ConfigError naming every bad variable. */
export function readTransformerConfig(env: Record<string, string | undefined> = process.env) {
  return readEnv(transformerEnv, env);
}
