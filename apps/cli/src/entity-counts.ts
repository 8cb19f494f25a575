import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { countItems } from '@pg2ddb/dynamo';
import type { CompiledMapping } from '@pg2ddb/mapping';
import { countRows } from '@pg2ddb/postgres';
import type { Pool } from 'pg';
import type { EntityCount } from './sync-progress';

/** Rows in Postgres and items in DynamoDB for every entity that has items of its own. */
export async function entityCounts(mapping: CompiledMapping, pg: Pool, dynamo: DynamoDBClient): Promise<EntityCount[]> {
  const entities = mapping.entities.filter((entity) => entity.mode === 'item');
  return Promise.all(
    entities.map(async (entity) => ({
      entity: entity.name,
      rows: await countRows(pg, entity.schema, entity.table),
      items: await countItems(dynamo, mapping.table.name, { attribute: entity.entityType.attribute, value: entity.entityType.value }),
    })),
  );
}
