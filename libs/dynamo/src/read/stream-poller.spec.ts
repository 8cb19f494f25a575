import type { DdbChangeEvent } from '@pg2ddb/contracts';
import type { ShardInfo, ShardPosition, ShardStart, StreamRecordImages } from '@pg2ddb/sync';

import { DynamoError, DynamoErrorCode } from '../sdk/dynamo-error';
import { StreamPoller, type StreamPollerPorts } from './stream-poller';

const record = (sequenceNumber: string): StreamRecordImages => ({
  eventName: 'INSERT',
  keys: { PK: { S: sequenceNumber } },
  newImage: { PK: { S: sequenceNumber } },
  sequenceNumber,
  createdAtMs: 0,
});

/** A stream in memory: shards with records; iterators are "shard@index"; `expire` makes the next read throw. */
class FakeStream implements StreamPollerPorts {
  emitted: string[] = [];
  checkpoints: Array<[string, ShardPosition]> = [];
  starts: Array<[string, ShardStart]> = [];
  expireNext = false;

  constructor(
    public shards: Array<ShardInfo & { records: string[] }>,
    private readonly closed: Set<string>,
  ) {}

  async describeShards(): Promise<ShardInfo[]> {
    return this.shards.map(({ records: _records, ...info }) => info);
  }

  async shardIterator(shardId: string, start: ShardStart): Promise<string> {
    this.starts.push([shardId, start]);
    const records = this.shard(shardId).records;
    const index =
      start.type === 'TRIM_HORIZON' ? 0 : start.type === 'LATEST' ? records.length : records.indexOf(start.sequenceNumber) + 1;
    return `${shardId}@${index}`;
  }

  async readRecords(iterator: string): Promise<{ records: StreamRecordImages[]; next?: string }> {
    if (this.expireNext) {
      this.expireNext = false;
      throw new DynamoError(DynamoErrorCode.STREAM_ITERATOR_EXPIRED, 'expired', { retriable: true });
    }
    const [shardId, at] = iterator.split('@') as [string, string];
    const records = this.shard(shardId).records.slice(Number(at), Number(at) + 2);
    const end = Number(at) + records.length;
    const finished = this.closed.has(shardId) && end >= this.shard(shardId).records.length;
    return { records: records.map(record), ...(finished ? {} : { next: `${shardId}@${end}` }) };
  }

  async emit(changes: DdbChangeEvent[]): Promise<void> {
    this.emitted.push(...changes.map((c) => c.version));
  }

  async checkpoint(shardId: string, position: ShardPosition): Promise<void> {
    this.checkpoints.push([shardId, { ...position }]);
  }

  private shard(id: string) {
    return this.shards.find((s) => s.shardId === id)!;
  }
}

async function drain(poller: StreamPoller): Promise<void> {
  for (let pass = 0; pass < 20; pass++) await poller.pollOnce();
}

describe('StreamPoller', () => {
  it('reads a parent to its end before its child, and checkpoints after each emit', async () => {
    const stream = new FakeStream(
      [
        { shardId: 'p', endingSequenceNumber: '3', records: ['1', '2', '3'] },
        { shardId: 'c', parentShardId: 'p', records: ['4', '5'] },
      ],
      new Set(['p']),
    );
    await drain(new StreamPoller('T', stream, new Map(), new Set(), { describeEveryMs: 0 }));
    expect(stream.emitted).toEqual(['1', '2', '3', '4', '5']);
    expect(stream.checkpoints).toContainEqual(['p', { sequenceNumber: '3', done: true }]);
    expect(stream.checkpoints[stream.checkpoints.length - 1]).toEqual(['c', { sequenceNumber: '5', done: false }]);
  });

  it('starts at LATEST for the shards open at the first start (the load position), once', async () => {
    const stream = new FakeStream([{ shardId: 's', records: ['1', '2'] }], new Set());
    const poller = new StreamPoller('T', stream, new Map(), new Set(['s']), { describeEveryMs: 0 });
    await poller.pin();
    stream.shards[0]!.records.push('3');
    await drain(poller);
    expect(stream.emitted).toEqual(['3']);
  });

  it('replaces an expired iterator from the checkpoint without losing or repeating a record', async () => {
    const stream = new FakeStream([{ shardId: 's', records: ['1', '2', '3', '4', '5'] }], new Set());
    const poller = new StreamPoller('T', stream, new Map(), new Set(), { describeEveryMs: 0 });
    await poller.pollOnce();
    stream.expireNext = true;
    await drain(poller);
    expect(stream.emitted).toEqual(['1', '2', '3', '4', '5']);
    expect(stream.starts).toEqual([
      ['s', { type: 'TRIM_HORIZON' }],
      ['s', { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '2' }],
    ]);
  });

  it('resumes after a restart from the saved positions', async () => {
    const stream = new FakeStream([{ shardId: 's', records: ['1', '2', '3'] }], new Set());
    const positions = new Map<string, ShardPosition>([['s', { sequenceNumber: '2', done: false }]]);
    await drain(new StreamPoller('T', stream, positions, new Set(['s']), { describeEveryMs: 0 }));
    expect(stream.emitted).toEqual(['3']);
  });
});
