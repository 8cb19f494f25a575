import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type TableDescription,
  type TimeToLiveDescription,
} from '@aws-sdk/client-dynamodb';

import { classifyDynamoError, isResourceNotFound } from '../sdk/classify-dynamo-error';

/** DescribeTable that answers undefined for a missing table and classifies every other failure. */
export async function describeTable(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (isResourceNotFound(error)) return undefined;
    throw classifyDynamoError(error, { table: tableName, operation: 'DescribeTable' });
  }
}

/** DescribeTimeToLive that answers undefined for a missing table. */
export async function describeTimeToLive(client: DynamoDBClient, tableName: string): Promise<TimeToLiveDescription | undefined> {
  try {
    return (await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }))).TimeToLiveDescription;
  } catch (error) {
    if (isResourceNotFound(error)) return undefined;
    throw classifyDynamoError(error, { table: tableName, operation: 'DescribeTimeToLive' });
  }
}
