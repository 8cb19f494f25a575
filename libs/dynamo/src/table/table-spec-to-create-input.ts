import type {
  AttributeDefinition,
  CreateTableCommandInput,
  GlobalSecondaryIndex,
  KeySchemaElement,
  Projection,
  ProvisionedThroughput,
} from '@aws-sdk/client-dynamodb';
import type { GsiSpec, KeyAttribute, TableSpec } from '@pg2ddb/contracts';

import { DynamoError, DynamoErrorCode } from '../sdk/dynamo-error';

/** On-demand, or provisioned capacity units applied to the table and to every GSI. */
export type BillingMode = 'PAY_PER_REQUEST' | { read: number; write: number };

/**
 * Translates a mapping's table spec into a CreateTable input: key schema, one attribute
 * definition per key attribute of the table and its GSIs, GSIs with their projections, billing.
 * TTL is not part of CreateTable (ensureTable enables it afterwards). Throws INVALID_TABLE_SPEC
 * when one attribute is declared with two different key types.
 */
export function tableSpecToCreateInput(spec: TableSpec, billingMode: BillingMode = 'PAY_PER_REQUEST'): CreateTableCommandInput {
  const definitions = new Map<string, KeyAttribute['type']>();
  const define = (attribute: KeyAttribute, where: string): void => {
    const known = definitions.get(attribute.name);
    if (known !== undefined && known !== attribute.type) {
      throw new DynamoError(
        DynamoErrorCode.INVALID_TABLE_SPEC,
        `Table ${spec.name}: attribute ${attribute.name} is ${known} elsewhere but ${attribute.type} in ${where}`,
        { details: { table: spec.name, attribute: attribute.name } },
      );
    }
    definitions.set(attribute.name, attribute.type);
  };
  define(spec.partitionKey, 'the table key');
  if (spec.sortKey) define(spec.sortKey, 'the table key');
  for (const gsi of spec.gsis) {
    define(gsi.partitionKey, `GSI ${gsi.name}`);
    if (gsi.sortKey) define(gsi.sortKey, `GSI ${gsi.name}`);
  }
  const throughput: ProvisionedThroughput | undefined =
    billingMode === 'PAY_PER_REQUEST' ? undefined : { ReadCapacityUnits: billingMode.read, WriteCapacityUnits: billingMode.write };
  const attributeDefinitions: AttributeDefinition[] = [];
  for (const [name, type] of definitions) attributeDefinitions.push({ AttributeName: name, AttributeType: type });

  return {
    TableName: spec.name,
    KeySchema: keySchema(spec.partitionKey, spec.sortKey),
    AttributeDefinitions: attributeDefinitions,
    ...(throughput === undefined ? { BillingMode: 'PAY_PER_REQUEST' } : { BillingMode: 'PROVISIONED', ProvisionedThroughput: throughput }),
    ...(spec.gsis.length === 0
      ? {}
      : {
          GlobalSecondaryIndexes: spec.gsis.map(
            (gsi): GlobalSecondaryIndex => ({
              IndexName: gsi.name,
              KeySchema: keySchema(gsi.partitionKey, gsi.sortKey),
              Projection: projection(gsi.projection),
              ...(throughput === undefined ? {} : { ProvisionedThroughput: throughput }),
            }),
          ),
        }),
  };
}

function keySchema(partitionKey: KeyAttribute, sortKey: KeyAttribute | undefined): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: partitionKey.name, KeyType: 'HASH' }];
  if (sortKey) schema.push({ AttributeName: sortKey.name, KeyType: 'RANGE' });
  return schema;
}

function projection(spec: GsiSpec['projection'] | undefined): Projection {
  if (spec === undefined || spec === 'ALL') return { ProjectionType: 'ALL' };
  if (spec === 'KEYS_ONLY') return { ProjectionType: 'KEYS_ONLY' };
  return { ProjectionType: 'INCLUDE', NonKeyAttributes: [...spec.include] };
}
