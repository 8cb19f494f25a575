import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { WebhookPayload } from '@pg2ddb/alerting';
import type { AttributeMap } from '@pg2ddb/contracts';
import { toSdkItem } from '@pg2ddb/dynamo';
import { createKafka } from '@pg2ddb/kafka';
import { runReconciliation, type ReconcileRequest } from '@pg2ddb/reconcile';
import { AlertmanagerProcess, eventually, keyOf, TestPipeline } from '@pg2ddb/testing';
import type { Kafka, Producer } from 'kafkajs';

// Drift → alert on the real stack: the alerter service consumes <prefix>.drift written by a real
// reconciliation run, and posts to a real Alertmanager (v2 API) and to a generic webhook. A run
// with drift raises exactly one alert per drifted kind of the entity; a later clean run (after
// repair, and a restart of the alerter) resolves them, and Alertmanager's own webhook
// notifications say firing, then resolved.
const examples = join(__dirname, '../../../examples/payments');
const ROWS = 12;

interface AlertmanagerNotification {
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  alerts: Array<{ status: string; labels: Record<string, string>; annotations: Record<string, string> }>;
}

describe('drift alerts through Alertmanager and a webhook', () => {
  let pipeline: TestPipeline;
  let alertmanager: AlertmanagerProcess;
  let receiver: Server;
  let kafka: Kafka;
  let producer: Producer;
  const notifications: AlertmanagerNotification[] = [];
  const webhook: WebhookPayload[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        if (request.url === '/alertmanager') notifications.push(JSON.parse(body) as AlertmanagerNotification);
        if (request.url === '/webhook') webhook.push(JSON.parse(body) as WebhookPayload);
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
    alertmanager = await AlertmanagerProcess.start(`${base}/alertmanager`);
    pipeline = await TestPipeline.start({
      mapping: readFileSync(join(examples, 'mapping.yaml'), 'utf8'),
      schemaSql: `${readFileSync(join(examples, 'schema.sql'), 'utf8')}\n${readFileSync(join(examples, 'seed.sql'), 'utf8').replaceAll('{{rows}}', String(ROWS))}`,
      services: ['transformer', 'writer', 'alerter'],
      serviceEnv: {
        alerter: {
          PG2DDB_ALERTMANAGER_URL: alertmanager.url,
          PG2DDB_ALERT_WEBHOOK_URL: `${base}/webhook`,
          PG2DDB_ALERT_RESEND_SECONDS: '2',
          PG2DDB_ALERT_TTL_SECONDS: '120',
        },
      },
    });
    kafka = createKafka({ brokers: pipeline.env.PG2DDB_KAFKA_BROKERS!.split(','), clientId: `${pipeline.names.id}-alerter-test` });
    producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    await eventually(async () => expect((await pipeline.items()).length).toBe(ROWS), { timeoutMs: 90000 });
  }, 600000);

  afterAll(async () => {
    await producer?.disconnect();
    await pipeline?.stop();
    await alertmanager?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const reconcile = (request: Partial<ReconcileRequest> = {}) =>
    runReconciliation(
      { pg: pipeline.pg, dynamo: pipeline.dynamo, kafka, producer, mapping: pipeline.mapping, topicPrefix: pipeline.names.prefix },
      { mode: 'full', confirmTimeoutMs: 60000, ...request },
    );
  const mine = { alertname: 'Pg2ddbDriftFound', topic_prefix: '' };
  const active = () => alertmanager.alerts({ ...mine, topic_prefix: pipeline.names.prefix });
  const kinds = (alerts: Array<{ labels: Record<string, string> }>) => alerts.map((a) => a.labels.kind).sort();

  async function itemOfPayment(id: number): Promise<AttributeMap> {
    const item = (await pipeline.items()).find((candidate) => (candidate.PaymentId as { N: string }).N === String(id));
    if (!item) throw new Error(`no item for payment ${id}`);
    return item;
  }

  it('raises one alert per drifted kind of the entity, and a clean run later resolves them', async () => {
    const table = pipeline.names.table;
    const deleted = await itemOfPayment(1);
    await pipeline.dynamo.send(new DeleteItemCommand({ TableName: table, Key: toSdkItem(keyOf(deleted)) }));
    const changed = await itemOfPayment(2);
    await pipeline.dynamo.send(
      new UpdateItemCommand({ TableName: table, Key: toSdkItem(keyOf(changed)), UpdateExpression: 'SET PaymentAmount = :a', ExpressionAttributeValues: { ':a': { N: '0.01' } } }),
    );

    const drifted = await reconcile();
    expect(drifted.entities[0]!.summary.counts).toMatchObject({ missing: 1, mismatch: 1, unexpected: 0 });

    // Alertmanager holds exactly the two alerts, labelled by entity and kind, with the run's details.
    const raised = await eventually(
      async () => {
        const alerts = await active();
        expect(kinds(alerts)).toEqual(['mismatch', 'missing']);
        return alerts;
      },
      { timeoutMs: 30000, intervalMs: 500 },
    );
    for (const alert of raised) {
      expect(alert.labels).toEqual({ alertname: 'Pg2ddbDriftFound', topic_prefix: pipeline.names.prefix, table, entity: 'Payment', kind: alert.labels.kind, severity: 'warning' });
      expect(alert.annotations).toMatchObject({ run_id: drifted.runId, mode: 'full', count: '1', checked: String(ROWS) });
      expect(alert.status.state).toBe('active');
    }
    expect(raised.find((a) => a.labels.kind === 'missing')!.annotations.sample_keys).toBe('{"paymentid":"1"}');
    expect(raised.find((a) => a.labels.kind === 'mismatch')!.annotations.sample_keys).toBe('{"paymentid":"2"}');
    // Alertmanager notified its receiver once for the entity's group, with both alerts firing.
    await eventually(() => {
      const firing = notifications.filter((n) => n.status === 'firing' && n.groupLabels.topic_prefix === pipeline.names.prefix);
      expect(firing.length).toBeGreaterThanOrEqual(1);
      expect(firing[0]!.alerts.map((a) => `${a.labels.kind}:${a.status}`).sort()).toEqual(['mismatch:firing', 'missing:firing']);
      expect(firing[0]!.groupLabels).toEqual({ alertname: 'Pg2ddbDriftFound', topic_prefix: pipeline.names.prefix, entity: 'Payment' });
    }, { timeoutMs: 30000, intervalMs: 500 });
    // The generic webhook got the same two firing alerts (and, on the entity's first summary since
    // the alerter started, a resolve of the clean kind, in case an earlier process left it open).
    const first = webhook.find((payload) => payload.alerts.some((a) => a.labels.topic_prefix === pipeline.names.prefix))!;
    expect(first.version).toBe('pg2ddb.alerts.v1');
    expect(first.alerts.map((a) => `${a.labels.kind}:${a.status}`).sort()).toEqual(['mismatch:firing', 'missing:firing', 'unexpected:resolved']);

    // The alerter keeps them open by re-sending (2 s here) until a clean run.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(kinds(await active())).toEqual(['mismatch', 'missing']);

    // A restarted alerter knows nothing of them: its first clean run resolves them all the same
    // (it asks Alertmanager which are open, and resolves only those).
    await pipeline.restartService('alerter');

    // Repair, then a clean run resolves both.
    const repaired = await reconcile({ repair: true });
    await eventually(async () => expect((await itemOfPayment(2)).PaymentAmount).toEqual(changed.PaymentAmount), { timeoutMs: 60000 });
    await eventually(async () => expect(await itemOfPayment(1)).toBeDefined(), { timeoutMs: 60000 });
    const clean = await reconcile();
    expect(clean.entities[0]!.summary.counts).toMatchObject({ missing: 0, mismatch: 0, unexpected: 0 });
    await eventually(async () => expect(await active()).toEqual([]), { timeoutMs: 30000, intervalMs: 500 });
    await eventually(() => {
      const resolved = notifications.filter((n) => n.status === 'resolved' && n.groupLabels.topic_prefix === pipeline.names.prefix);
      expect(resolved.length).toBeGreaterThanOrEqual(1);
      expect(resolved.at(-1)!.alerts.map((a) => `${a.labels.kind}:${a.status}`).sort()).toEqual(['mismatch:resolved', 'missing:resolved']);
    }, { timeoutMs: 30000, intervalMs: 500 });
    const resolvedByWebhook = webhook.flatMap((payload) => payload.alerts).filter((a) => a.annotations.resolved_by_run === clean.runId);
    expect(resolvedByWebhook.map((a) => `${a.labels.kind}:${a.status}`).sort()).toEqual(['mismatch:resolved', 'missing:resolved']);
    // The webhook cannot be asked what is open: the restarted alerter's first summary (the repair
    // run, still with drift) re-raised the drifted kinds and resolved the clean one just in case.
    const afterRestart = webhook.find((payload) => payload.alerts.some((a) => a.annotations.resolved_by_run === repaired.runId))!;
    expect([...new Set(afterRestart.alerts.map((a) => `${a.labels.kind}:${a.status}:${a.annotations.run_id ?? a.annotations.resolved_by_run}`))].sort()).toEqual([
      `mismatch:firing:${repaired.runId}`,
      `missing:firing:${repaired.runId}`,
      `unexpected:resolved:${repaired.runId}`,
    ]);
    // Alertmanager never heard of an unexpected-items alert.
    expect(notifications.flatMap((n) => n.alerts).filter((a) => a.labels.kind === 'unexpected' && a.labels.topic_prefix === pipeline.names.prefix)).toEqual([]);
  }, 300000);
});
