import { readableShards, shardStart, type ShardPosition } from './shard-lineage';

describe('readableShards', () => {
  const shards = [
    { shardId: 'a', endingSequenceNumber: '100' },
    { shardId: 'b', parentShardId: 'a' },
    { shardId: 'c', parentShardId: 'gone' },
  ];

  it('reads a child only after its parent is read to the end', () => {
    expect(readableShards(shards, new Map()).map((s) => s.shardId)).toEqual(['a', 'c']);
    const positions = new Map<string, ShardPosition>([['a', { sequenceNumber: '100', done: true }]]);
    expect(readableShards(shards, positions).map((s) => s.shardId)).toEqual(['b', 'c']);
  });

  it('never reads a finished shard again', () => {
    const positions = new Map<string, ShardPosition>([
      ['a', { done: true }],
      ['b', { done: true }],
      ['c', { sequenceNumber: '7', done: false }],
    ]);
    expect(readableShards(shards, positions).map((s) => s.shardId)).toEqual(['c']);
  });
});

describe('shardStart', () => {
  it('resumes after the checkpoint, else LATEST for the shards open at the first start, else the beginning', () => {
    expect(shardStart({ shardId: 'a' }, { sequenceNumber: '42', done: false }, new Set(['a']))).toEqual({ type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '42' });
    expect(shardStart({ shardId: 'a' }, undefined, new Set(['a']))).toEqual({ type: 'LATEST' });
    expect(shardStart({ shardId: 'b' }, undefined, new Set(['a']))).toEqual({ type: 'TRIM_HORIZON' });
  });
});
