import { changeTopic, ddbChangeTopic, topicNames } from './topics';
import { writeCommandKey } from './write-command';

describe('topic names', () => {
  it('derives every pipeline topic from the prefix', () => {
    expect(topicNames('shop')).toEqual({
      writes: 'shop.writes',
      sweeps: 'shop.sweeps',
      dlq: 'shop.dlq',
      drift: 'shop.drift',
      heartbeat: '__debezium-heartbeat.shop',
    });
    expect(changeTopic('shop', 'public', 'orders')).toBe('shop.public.orders');
    expect(ddbChangeTopic('shop', 'Payments')).toBe('shop.ddb.Payments');
  });

  it('rejects a prefix Kafka would refuse, naming it', () => {
    expect(() => topicNames('bad prefix')).toThrow('invalid topic prefix "bad prefix"');
    expect(() => topicNames('')).toThrow('invalid topic prefix ""');
  });
});

describe('writeCommandKey', () => {
  it('is stable whatever the attribute order and distinguishes types', () => {
    const a = writeCommandKey({ table: 't', key: { PK: { S: 'A' }, SK: { S: 'B' } } });
    const b = writeCommandKey({ table: 't', key: { SK: { S: 'B' }, PK: { S: 'A' } } });
    expect(a).toBe('t|PK=S:A|SK=S:B');
    expect(b).toBe(a);
    expect(writeCommandKey({ table: 't', key: { PK: { N: '1' } } })).not.toBe(
      writeCommandKey({ table: 't', key: { PK: { S: '1' } } }),
    );
  });
});
