import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

// The SDK's logger middleware copies every request and response, masking sensitive fields, to hand
// them to `logger.info` — also for its default no-op logger: ~8 % of the writer's CPU under load.
// It calls `logger?.info?.(…)`, so a logger without `info` skips the copies. Nothing was logged
// before either (the default logger drops everything).
const QUIET_LOGGER = { debug: () => undefined, warn: () => undefined, error: () => undefined } as unknown as DynamoDBClientConfig['logger'];

/** How to reach DynamoDB. Credentials are never passed here: they come from the default AWS chain. */
export interface DynamoClientOptions {
  /** Override for the local emulator or a VPC endpoint, e.g. `http://localhost:8000`. */
  endpoint?: string;
  region: string;
  /**
   * Attempts the SDK itself makes per request (default 3, the SDK's own). Keep it low where a
   * caller retries too (applyBatch does), or the two multiply.
   */
  maxAttempts?: number;
  /** Per request: abandon the connection attempt and the request after this long (default: none). */
  requestTimeoutMs?: number;
}

/**
 * Creates the DynamoDB client every pg2ddb service uses. Credentials come from the SDK's default
 * provider chain (environment variables locally, IRSA web identity on Kubernetes, instance
 * metadata on EC2) and are never hard-coded or logged.
 */
export function createDynamoClient(options: DynamoClientOptions): DynamoDBClient {
  const timeout = options.requestTimeoutMs;
  return new DynamoDBClient({
    region: options.region,
    logger: QUIET_LOGGER,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    ...(timeout === undefined
      ? {}
      : {
          // Without throwOnRequestTimeout the Node handler only logs a warning when the timeout passes.
          requestHandler: { connectionTimeout: timeout, requestTimeout: timeout, throwOnRequestTimeout: true },
        }),
  });
}
