import { BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({ endpoint: process.env.EP, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const table = `t${Date.now()}`;
const item = (i: number) => ({ PK: { S: `CUSTOMER#${i % 2000}` }, SK: { S: `PAYMENT#2024-01-01T00:00:00Z#${i}` }, EntityType: { S: 'Payment' }, PaymentId: { N: String(i) }, Amount: { N: '123.45' }, Method: { S: 'CARD' }, Status: { S: 'COMPLETED' }, Ref: { S: `TXN-${i}-abcdefghijkl` }, _ver: { S: '0000000100000000-0000000000000000-0001' } });
(async () => {
  await client.send(new CreateTableCommand({ TableName: table, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }, { AttributeName: 'SK', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }] }));
  for (const round of [0, 1]) {
    let next = round * 40000; const to = next + 40000; const t = Date.now();
    await Promise.all(Array.from({ length: 16 }, async () => { for (;;) { const s = next; next += 25; if (s >= to) return;
      let req: any = { [table]: Array.from({ length: 25 }, (_, k) => ({ PutRequest: { Item: item(s + k) } })) };
      while (req && Object.keys(req).length) { const r = await client.send(new BatchWriteItemCommand({ RequestItems: req })); req = r.UnprocessedItems; } } }));
    console.log(`write ${Math.round(40000 / ((Date.now() - t) / 1000))} items/s`);
  }
  let next = 0; const t = Date.now();
  await Promise.all(Array.from({ length: 8 }, async () => { for (;;) { const s = next; next += 100; if (s >= 40000) return;
    await client.send(new BatchGetItemCommand({ RequestItems: { [table]: { ConsistentRead: true, Keys: Array.from({ length: 100 }, (_, k) => ({ PK: item(s + k).PK, SK: item(s + k).SK })) } } })); } }));
  console.log(`get ${Math.round(40000 / ((Date.now() - t) / 1000))} keys/s`);
})();
