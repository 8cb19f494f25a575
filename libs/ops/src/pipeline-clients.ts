import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ConnectAuth } from '@pg2ddb/kafka';
import type { CompiledMapping } from '@pg2ddb/mapping';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';

/**
 * What reading and operating one deployment needs: its mapping, its names (topic prefix,
 * connector, slot) and open clients. The cli's PipelineContext and the status service both give it.
 */
export interface PipelineClients {
  readonly mapping: CompiledMapping;
  readonly prefix: string;
  readonly connectorName: string;
  readonly connectUrl: string;
  /** Basic auth of the Connect REST API, if it has any. */
  readonly connectAuth?: ConnectAuth;
  readonly slot: string;
  readonly pg: Pool;
  readonly dynamo: DynamoDBClient;
  readonly kafka: Kafka;
}
