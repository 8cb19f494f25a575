import { ConsumerHealth } from './consumer-health';

describe('ConsumerHealth', () => {
  it('is ready once joined, not while kafkajs restarts the consumer, and ready again after it re-joins', () => {
    const health = new ConsumerHealth(60_000, 0);
    expect(health.isReady()).toBe(false);
    health.joined(1);
    expect(health.isReady()).toBe(true);
    health.crashed(new Error('Connection error'), true, 2);
    expect(health.isReady()).toBe(false);
    expect(health.isLive(3)).toBe(true);
    health.joined(4);
    expect(health.isReady()).toBe(true);
    expect(health.describe(4)).toEqual({ state: 'running', idleMs: 0, lastError: 'Connection error' });
  });

  it('is neither ready nor live after a crash kafkajs will not restart, even if events follow', () => {
    const health = new ConsumerHealth(60_000, 0);
    health.joined(1);
    health.crashed(new Error('The group member protocol is not compatible'), false, 2);
    health.joined(3);
    health.activity(4);
    expect(health.isReady()).toBe(false);
    expect(health.isLive(5)).toBe(false);
    expect(health.describe(5).state).toBe('dead');
  });

  it('is not live when the loop shows no activity for the stall time, and live again when it moves', () => {
    const health = new ConsumerHealth(10_000, 0);
    health.joined(0);
    health.activity(5_000);
    expect(health.isLive(14_999)).toBe(true);
    expect(health.isLive(15_000)).toBe(false);
    health.activity(15_001);
    expect(health.isLive(15_002)).toBe(true);
  });
});
