import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DdbChangeEvent } from '@pg2ddb/contracts';
import { compileInverse, compileMapping, loadMapping, mapRow } from '@pg2ddb/mapping';
import type { KafkaMessage } from 'kafkajs';

import { decodeDdbChanges } from './decode-ddb-changes';

const mapping = compileMapping(loadMapping(readFileSync(join(__dirname, '../../../examples/payments/mapping.yaml'), 'utf8'), 'payments'));
const inverse = compileInverse(mapping);
const mapped = mapRow(mapping.entity('Payment')!, {
  paymentid: 7,
  customerid: 1,
  loanid: 2,
  paymentamount: '3.50',
  paymentdate: '2024-01-01 00:00:00+00',
  paymentmethod: 'ACH',
  paymentstatus: 'OK',
  transactionreference: null,
  processeddate: null,
  createddate: '2024-01-01 00:00:00+00',
  updateddate: null,
});
const item = mapped.kind === 'item' ? mapped.item : {};
const event = (version: string, overrides: Partial<DdbChangeEvent> = {}): DdbChangeEvent => ({
  v: 1,
  table: 'Payments',
  op: 'put',
  key: { PK: item['PK']!, SK: item['SK']! },
  item,
  version,
  changedAtMs: 0,
  origin: { kind: 'scan', segment: 0, totalSegments: 1 },
  ...overrides,
});
const message = (value: unknown, offset: string): KafkaMessage =>
  ({ key: Buffer.from('k'), value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), offset, timestamp: '0', attributes: 0, headers: {} }) as KafkaMessage;

describe('decodeDdbChanges', () => {
  it('plans rows in version order and dead-letters what cannot become a row, with the reason', () => {
    const { changes, origins, bad } = decodeDdbChanges(inverse, [
      message(event('20'), '0'),
      message('{not json', '1'),
      message(event('10'), '2'),
      message({ ...event('30'), v: 2 }, '3'),
      message(event('40', { item: { ...item, PaymentAmount: { S: 'cheap' } } }), '4'),
    ]);
    expect(changes.map((c) => [c.version, c.entity, c.row.rowKey, c.row.params['paymentamount']])).toEqual([
      ['10', 'Payment', '["7"]', '3.5'],
      ['20', 'Payment', '["7"]', '3.5'],
    ]);
    expect(origins.map((o) => o.offset)).toEqual(['2', '0']);
    expect(bad.map((b) => [b.message.offset, b.code, b.reason])).toEqual([
      ['1', 'PG_WRITER_MALFORMED_EVENT', expect.stringMatching(/^not JSON: /)],
      ['3', 'PG_WRITER_MALFORMED_EVENT', 'unsupported contract version 2'],
      ['4', 'MAPPING_ITEM_INVALID', 'entity "Payment", column "paymentamount": attribute is S; a numeric(12,2) column needs N'],
    ]);
  });
});
