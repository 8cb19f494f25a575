import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { FactoryProvider } from '@nestjs/common';
import { createDynamoClient, type DynamoClientOptions } from '@pg2ddb/dynamo';
import { cachedProbe, Readiness } from './readiness';

/**
 * A Nest provider of the service's DynamoDB client that also registers a readiness check (a
 * cheap ListTables call, at most every 10 s): /health/ready fails while DynamoDB is unreachable.
 */
export function dynamoClientProvider(token: symbol, options: DynamoClientOptions): FactoryProvider {
  return {
    provide: token,
    inject: [Readiness],
    useFactory: (readiness: Readiness) => {
      const client = createDynamoClient(options);
      readiness.add({ name: 'dynamodb', check: cachedProbe(() => client.send(new ListTablesCommand({ Limit: 1 }))) });
      return client;
    },
  };
}
