import { chunkTopicMessages, messageBytes } from './chunked-send';

const message = (bytes: number, key = 'k') => ({ key, value: Buffer.alloc(bytes, 'x') });

describe('chunkTopicMessages', () => {
  it('keeps every request within the byte budget, messages in order, topics grouped', () => {
    const writes = Array.from({ length: 10 }, () => message(300));
    const dead = Array.from({ length: 4 }, () => message(500));
    const chunks = chunkTopicMessages([{ topic: 'w', messages: writes }, { topic: 'd', messages: dead }], 1000);
    for (const chunk of chunks) {
      const bytes = chunk.flatMap((t) => t.messages).reduce((sum, m) => sum + messageBytes(m), 0);
      expect(bytes).toBeLessThanOrEqual(1000);
    }
    expect(chunks.flat().flatMap((t) => t.messages)).toEqual([...writes, ...dead]);
    expect(chunks.map((chunk) => chunk.map((t) => `${t.topic}:${t.messages.length}`).join(','))).toEqual(['w:3', 'w:3', 'w:3', 'w:1,d:1', 'd:1', 'd:1', 'd:1']);
  });

  it('sends a message larger than the budget alone', () => {
    const chunks = chunkTopicMessages([{ topic: 't', messages: [message(10), message(5000), message(10)] }], 1000);
    expect(chunks.map((chunk) => chunk[0]?.messages.length)).toEqual([1, 1, 1]);
  });

  it('makes no request for no messages', () => {
    expect(chunkTopicMessages([], 1000)).toEqual([]);
  });
});
