import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AttributeMap } from '@pg2ddb/contracts';
import { byKey, eventually, keyOf, TestPipeline, withoutVersion } from '@pg2ddb/testing';

// The integration-logs example on the real stack, with the shipped schema and mapping: a
// partition per service and day, GSIs by application, correlation id and failures, a 90-day TTL.
// Every expected item below is written out by hand.
const examples = join(__dirname, '../../../examples/integration-logs');

const C1 = '6f1c2d0e-8b7a-4c3d-9e2f-1a2b3c4d5e6f';
const C2 = '0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a';
// 400 MD5 digests in hex: 12,800 characters that barely compress, so Postgres stores the payload
// out of line (TOAST) and logical decoding sends it as "unchanged" when an update leaves it alone.
const DOCUMENT_SQL = `(SELECT string_agg(md5(g::text), '' ORDER BY g) FROM generate_series(1, 400) AS g)`;
const DOCUMENT = Array.from({ length: 400 }, (_, i) => createHash('md5').update(String(i + 1)).digest('hex')).join('');

const COLUMNS = 'log_id, service_name, application_id, correlation_id, log_timestamp, http_method, endpoint, http_status, is_success, duration_ms, request_payload, response_payload, error_message';

// Exist before the connector starts: they arrive through the initial snapshot.
const snapshotRows = `
  INSERT INTO integration_logs (${COLUMNS}) VALUES
    (1, 'kyc-provider',  4711, '${C1}', '2024-03-01 09:14:59.5+00', 'POST', '/v1/checks',   200, true,  310, '{"applicationId": 4711, "checks": ["identity", "address"]}', '{"status": "ok", "score": 0.97}', NULL),
    (2, 'email-service', NULL, NULL,    '2024-02-29 12:00:00+00',   'POST', '/v1/messages', 503, false, 45,  NULL, '{"error": {"code": 503, "retryable": true}}', 'HTTP 503 from email-service');`;

const streamedRows = `
  INSERT INTO integration_logs (${COLUMNS}) VALUES
    (1001, 'credit-bureau',    4711, '${C1}', '2024-03-01 09:15:00.25+00',     'POST', '/v1/reports',        201,  true,  840,   '{"applicationId": 4711, "amount": 25000.00}', '{"reference": "CB-991"}', NULL),
    (1002, 'credit-bureau',    4711, '${C1}', '2024-03-01 09:15:01+00',        'GET',  '/v1/reports/CB-991', 200,  true,  95,    NULL, '{"score": 712, "band": "B"}', NULL),
    (1003, 'payment-gateway',  NULL, NULL,    '2024-03-01 23:59:59.999999+00', 'POST', '/v1/charges',        NULL, false, 30000, '{"amount": 12.50, "currency": "USD"}', NULL, 'timed out after 30000 ms'),
    (1004, 'payment-gateway',  4711, '${C2}', '2024-03-02 00:00:00+00',        'POST', '/v1/charges',        502,  false, 120,   '{"amount": 12.50, "currency": "USD"}', '{"error": {"code": 502, "retryable": true}}', 'HTTP 502 from payment-gateway'),
    (1005, 'document-signing', 4711, '${C2}', '2024-03-02 06:30:00+00',        'GET',  '/v1/envelopes/ENV-7', 200, true,  210,   NULL, jsonb_build_object('document', ${DOCUMENT_SQL}), NULL);`;

const expected = {
  kyc: {
    PK: { S: 'kyc-provider-2024-03-01' },
    SK: { S: '2024-03-01T09:14:59.500000Z#1' },
    log_id: { N: '1' },
    service_name: { S: 'kyc-provider' },
    application_id: { N: '4711' },
    correlation_id: { S: C1 },
    log_timestamp: { S: '2024-03-01T09:14:59.500000Z' },
    http_method: { S: 'POST' },
    endpoint: { S: '/v1/checks' },
    http_status: { N: '200' },
    is_success: { BOOL: true },
    duration_ms: { N: '310' },
    request_payload: { M: { applicationId: { N: '4711' }, checks: { L: [{ S: 'identity' }, { S: 'address' }] } } },
    response_payload: { M: { status: { S: 'ok' }, score: { N: '0.97' } } },
    _type: { S: 'IntegrationLog' },
    GSI1PK: { S: 'APP#4711' },
    GSI1SK: { S: '2024-03-01T09:14:59.500000Z#1' },
    GSI2PK: { S: `CORR#${C1}` },
    GSI2SK: { S: '2024-03-01T09:14:59.500000Z#1' },
    GSI3PK: { S: 'ERROR#true#2024-03-01' },
    GSI3SK: { S: '2024-03-01T09:14:59.500000Z#1' },
    ExpiresAt: { N: '1717060499' }, // 2024-05-30T09:14:59Z: 90 days later, whole seconds
  },
  // No application and no correlation id: not in GSI1 nor GSI2 (sparse).
  email: {
    PK: { S: 'email-service-2024-02-29' },
    SK: { S: '2024-02-29T12:00:00.000000Z#2' },
    log_id: { N: '2' },
    service_name: { S: 'email-service' },
    log_timestamp: { S: '2024-02-29T12:00:00.000000Z' },
    http_method: { S: 'POST' },
    endpoint: { S: '/v1/messages' },
    http_status: { N: '503' },
    is_success: { BOOL: false },
    duration_ms: { N: '45' },
    response_payload: { M: { error: { M: { code: { N: '503' }, retryable: { BOOL: true } } } } },
    error_message: { S: 'HTTP 503 from email-service' },
    _type: { S: 'IntegrationLog' },
    GSI3PK: { S: 'ERROR#false#2024-02-29' },
    GSI3SK: { S: '2024-02-29T12:00:00.000000Z#2' },
    ExpiresAt: { N: '1716984000' }, // 2024-05-29T12:00:00Z
  },
  report: {
    PK: { S: 'credit-bureau-2024-03-01' },
    SK: { S: '2024-03-01T09:15:00.250000Z#1001' },
    log_id: { N: '1001' },
    service_name: { S: 'credit-bureau' },
    application_id: { N: '4711' },
    correlation_id: { S: C1 },
    log_timestamp: { S: '2024-03-01T09:15:00.250000Z' },
    http_method: { S: 'POST' },
    endpoint: { S: '/v1/reports' },
    http_status: { N: '201' },
    is_success: { BOOL: true },
    duration_ms: { N: '840' },
    request_payload: { M: { applicationId: { N: '4711' }, amount: { N: '25000' } } },
    response_payload: { M: { reference: { S: 'CB-991' } } },
    _type: { S: 'IntegrationLog' },
    GSI1PK: { S: 'APP#4711' },
    GSI1SK: { S: '2024-03-01T09:15:00.250000Z#1001' },
    GSI2PK: { S: `CORR#${C1}` },
    GSI2SK: { S: '2024-03-01T09:15:00.250000Z#1001' },
    GSI3PK: { S: 'ERROR#true#2024-03-01' },
    GSI3SK: { S: '2024-03-01T09:15:00.250000Z#1001' },
    ExpiresAt: { N: '1717060500' }, // 2024-05-30T09:15:00Z
  },
  score: {
    PK: { S: 'credit-bureau-2024-03-01' },
    SK: { S: '2024-03-01T09:15:01.000000Z#1002' },
    log_id: { N: '1002' },
    service_name: { S: 'credit-bureau' },
    application_id: { N: '4711' },
    correlation_id: { S: C1 },
    log_timestamp: { S: '2024-03-01T09:15:01.000000Z' },
    http_method: { S: 'GET' },
    endpoint: { S: '/v1/reports/CB-991' },
    http_status: { N: '200' },
    is_success: { BOOL: true },
    duration_ms: { N: '95' },
    response_payload: { M: { score: { N: '712' }, band: { S: 'B' } } },
    _type: { S: 'IntegrationLog' },
    GSI1PK: { S: 'APP#4711' },
    GSI1SK: { S: '2024-03-01T09:15:01.000000Z#1002' },
    GSI2PK: { S: `CORR#${C1}` },
    GSI2SK: { S: '2024-03-01T09:15:01.000000Z#1002' },
    GSI3PK: { S: 'ERROR#true#2024-03-01' },
    GSI3SK: { S: '2024-03-01T09:15:01.000000Z#1002' },
    ExpiresAt: { N: '1717060501' }, // 2024-05-30T09:15:01Z
  },
  // The last microsecond of March 1st: still that day's partition. A timeout: no status, no response.
  timeout: {
    PK: { S: 'payment-gateway-2024-03-01' },
    SK: { S: '2024-03-01T23:59:59.999999Z#1003' },
    log_id: { N: '1003' },
    service_name: { S: 'payment-gateway' },
    log_timestamp: { S: '2024-03-01T23:59:59.999999Z' },
    http_method: { S: 'POST' },
    endpoint: { S: '/v1/charges' },
    is_success: { BOOL: false },
    duration_ms: { N: '30000' },
    request_payload: { M: { amount: { N: '12.5' }, currency: { S: 'USD' } } },
    error_message: { S: 'timed out after 30000 ms' },
    _type: { S: 'IntegrationLog' },
    GSI3PK: { S: 'ERROR#false#2024-03-01' },
    GSI3SK: { S: '2024-03-01T23:59:59.999999Z#1003' },
    ExpiresAt: { N: '1717113599' }, // 2024-05-30T23:59:59Z
  },
  badGateway: {
    PK: { S: 'payment-gateway-2024-03-02' },
    SK: { S: '2024-03-02T00:00:00.000000Z#1004' },
    log_id: { N: '1004' },
    service_name: { S: 'payment-gateway' },
    application_id: { N: '4711' },
    correlation_id: { S: C2 },
    log_timestamp: { S: '2024-03-02T00:00:00.000000Z' },
    http_method: { S: 'POST' },
    endpoint: { S: '/v1/charges' },
    http_status: { N: '502' },
    is_success: { BOOL: false },
    duration_ms: { N: '120' },
    request_payload: { M: { amount: { N: '12.5' }, currency: { S: 'USD' } } },
    response_payload: { M: { error: { M: { code: { N: '502' }, retryable: { BOOL: true } } } } },
    error_message: { S: 'HTTP 502 from payment-gateway' },
    _type: { S: 'IntegrationLog' },
    GSI1PK: { S: 'APP#4711' },
    GSI1SK: { S: '2024-03-02T00:00:00.000000Z#1004' },
    GSI2PK: { S: `CORR#${C2}` },
    GSI2SK: { S: '2024-03-02T00:00:00.000000Z#1004' },
    GSI3PK: { S: 'ERROR#false#2024-03-02' },
    GSI3SK: { S: '2024-03-02T00:00:00.000000Z#1004' },
    ExpiresAt: { N: '1717113600' }, // 2024-05-31T00:00:00Z
  },
  envelope: {
    PK: { S: 'document-signing-2024-03-02' },
    SK: { S: '2024-03-02T06:30:00.000000Z#1005' },
    log_id: { N: '1005' },
    service_name: { S: 'document-signing' },
    application_id: { N: '4711' },
    correlation_id: { S: C2 },
    log_timestamp: { S: '2024-03-02T06:30:00.000000Z' },
    http_method: { S: 'GET' },
    endpoint: { S: '/v1/envelopes/ENV-7' },
    http_status: { N: '200' },
    is_success: { BOOL: true },
    duration_ms: { N: '210' },
    response_payload: { M: { document: { S: DOCUMENT } } },
    _type: { S: 'IntegrationLog' },
    GSI1PK: { S: 'APP#4711' },
    GSI1SK: { S: '2024-03-02T06:30:00.000000Z#1005' },
    GSI2PK: { S: `CORR#${C2}` },
    GSI2SK: { S: '2024-03-02T06:30:00.000000Z#1005' },
    GSI3PK: { S: 'ERROR#true#2024-03-02' },
    GSI3SK: { S: '2024-03-02T06:30:00.000000Z#1005' },
    ExpiresAt: { N: '1717137000' }, // 2024-05-31T06:30:00Z
  },
} satisfies Record<string, AttributeMap>;

describe('integration logs: a partition per service and day, three GSIs, a 90-day TTL', () => {
  let pipeline: TestPipeline;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({
      mapping: readFileSync(join(examples, 'mapping.yaml'), 'utf8'),
      schemaSql: readFileSync(join(examples, 'schema.sql'), 'utf8') + snapshotRows,
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  const ids = (items: AttributeMap[]) => items.map((item) => (item.log_id as { N: string }).N);

  it('carries the snapshot and the streamed inserts as exactly the expected items', async () => {
    await pipeline.query(streamedRows);
    const all = Object.values(expected).sort(byKey);
    await eventually(async () => expect((await pipeline.items()).map((item) => withoutVersion(item) as AttributeMap).sort(byKey)).toEqual(all), { timeoutMs: 45000 });
  });

  describe('answers the access patterns with one query each', () => {
    it("a service's logs of one day, in time order", async () => {
      const day = await pipeline.queryItems({ KeyConditionExpression: 'PK = :pk', values: { ':pk': { S: 'credit-bureau-2024-03-01' } } });
      expect(day.map(withoutVersion)).toEqual([expected.report, expected.score]);
      const window = await pipeline.queryItems({
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ScanIndexForward: false,
        values: { ':pk': { S: 'credit-bureau-2024-03-01' }, ':from': { S: '2024-03-01T09:15:00.5' }, ':to': { S: '2024-03-01T10' } },
      });
      expect(ids(window)).toEqual(['1002']);
    });

    it("an application's calls (GSI1)", async () => {
      expect(ids(await pipeline.queryItems({ IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :app', values: { ':app': { S: 'APP#4711' } } }))).toEqual(['1', '1001', '1002', '1004', '1005']);
    });

    it('the calls of one request (GSI2)', async () => {
      expect(ids(await pipeline.queryItems({ IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :corr', values: { ':corr': { S: `CORR#${C1}` } } }))).toEqual(['1', '1001', '1002']);
    });

    it('the failures of a day (GSI3, projected for error analysis)', async () => {
      const failures = await pipeline.queryItems({ IndexName: 'GSI3', KeyConditionExpression: 'GSI3PK = :err', values: { ':err': { S: 'ERROR#false#2024-03-01' } } });
      // GSI3 projects the keys and service, application, endpoint, status, duration and error only.
      expect(failures).toEqual([
        {
          PK: { S: 'payment-gateway-2024-03-01' },
          SK: { S: '2024-03-01T23:59:59.999999Z#1003' },
          GSI3PK: { S: 'ERROR#false#2024-03-01' },
          GSI3SK: { S: '2024-03-01T23:59:59.999999Z#1003' },
          service_name: { S: 'payment-gateway' },
          endpoint: { S: '/v1/charges' },
          duration_ms: { N: '30000' },
          error_message: { S: 'timed out after 30000 ms' },
        },
      ]);
      const nextDay = await pipeline.queryItems({ IndexName: 'GSI3', KeyConditionExpression: 'GSI3PK = :err', values: { ':err': { S: 'ERROR#false#2024-03-02' } } });
      expect(nextDay.map((log) => log.SK)).toEqual([{ S: '2024-03-02T00:00:00.000000Z#1004' }]);
    });
  });

  it('keeps GSI1 and GSI2 sparse: a NULL application leaves GSI1, a new correlation id joins GSI2', async () => {
    await pipeline.query(`UPDATE integration_logs SET application_id = NULL WHERE log_id = 1002`);
    await pipeline.query(`UPDATE integration_logs SET correlation_id = '${C2}' WHERE log_id = 1003`);
    await eventually(async () => {
      const { application_id: _app, GSI1PK: _pk, GSI1SK: _sk, ...withoutApplication } = expected.score;
      expect(withoutVersion(await pipeline.item(keyOf(expected.score)))).toEqual(withoutApplication);
      expect(withoutVersion(await pipeline.item(keyOf(expected.timeout)))).toEqual({
        ...expected.timeout,
        correlation_id: { S: C2 },
        GSI2PK: { S: `CORR#${C2}` },
        GSI2SK: { S: '2024-03-01T23:59:59.999999Z#1003' },
      });
    });
    expect(ids(await pipeline.queryItems({ IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :app', values: { ':app': { S: 'APP#4711' } } }))).toEqual(['1', '1001', '1004', '1005']);
    expect(ids(await pipeline.queryItems({ IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :corr', values: { ':corr': { S: `CORR#${C2}` } } }))).toEqual(['1003', '1004', '1005']);
  });

  it('keeps an unchanged TOASTed payload when another column is updated (REPLICA IDENTITY FULL)', async () => {
    const [stored] = (await pipeline.query(`SELECT pg_column_size(response_payload) AS size FROM integration_logs WHERE log_id = 1005`)) as { size: number }[];
    // Bigger than a heap page: the value lives out of line, so the update's new row does not carry
    // it; with REPLICA IDENTITY FULL the old row does, and the item must keep the whole payload.
    expect(Number(stored?.size)).toBeGreaterThan(8192);
    await pipeline.query(`UPDATE integration_logs SET duration_ms = 215 WHERE log_id = 1005`);
    await eventually(async () => expect(withoutVersion(await pipeline.item(keyOf(expected.envelope)))).toEqual({ ...expected.envelope, duration_ms: { N: '215' } }));
  });

  it('moves a log to another partition when its timestamp is corrected (key change), with a new TTL', async () => {
    await pipeline.query(`UPDATE integration_logs SET log_timestamp = '2024-02-29 23:59:00+00' WHERE log_id = 1001`);
    await eventually(async () => {
      expect(await pipeline.item(keyOf(expected.report))).toBeUndefined();
      const movedKey = { PK: { S: 'credit-bureau-2024-02-29' }, SK: { S: '2024-02-29T23:59:00.000000Z#1001' } };
      expect(withoutVersion(await pipeline.item(movedKey))).toEqual({
        ...expected.report,
        ...movedKey,
        log_timestamp: { S: '2024-02-29T23:59:00.000000Z' },
        GSI1SK: { S: '2024-02-29T23:59:00.000000Z#1001' },
        GSI2SK: { S: '2024-02-29T23:59:00.000000Z#1001' },
        GSI3PK: { S: 'ERROR#true#2024-02-29' },
        GSI3SK: { S: '2024-02-29T23:59:00.000000Z#1001' },
        ExpiresAt: { N: '1717027140' }, // 2024-05-29T23:59:00Z
      });
    });
  });

  it('applies deletes', async () => {
    await pipeline.query(`DELETE FROM integration_logs WHERE log_id IN (2, 1003)`);
    await eventually(async () => {
      const keys = (await pipeline.items()).sort(byKey).map((item) => `${(item.PK as { S: string }).S} ${(item.SK as { S: string }).S}`);
      expect(keys).toEqual([
        'credit-bureau-2024-02-29 2024-02-29T23:59:00.000000Z#1001',
        'credit-bureau-2024-03-01 2024-03-01T09:15:01.000000Z#1002',
        'document-signing-2024-03-02 2024-03-02T06:30:00.000000Z#1005',
        'kyc-provider-2024-03-01 2024-03-01T09:14:59.500000Z#1',
        'payment-gateway-2024-03-02 2024-03-02T00:00:00.000000Z#1004',
      ]);
    });
  });
});
