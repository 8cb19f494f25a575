import { producerConfig } from './kafka-producer.provider';

describe('producerConfig', () => {
  it('keeps one request in flight and creates topics by default', () => {
    expect(producerConfig()).toEqual({ maxInFlightRequests: 1, allowAutoTopicCreation: true });
  });

  it('lets an unordered producer pipeline requests', () => {
    expect(producerConfig({ ordered: false })).toEqual({ allowAutoTopicCreation: true });
  });

  it('makes an idempotent producer ordered, whatever ordered says', () => {
    expect(producerConfig({ idempotent: true, ordered: false })).toEqual({ maxInFlightRequests: 1, idempotent: true });
  });
});
