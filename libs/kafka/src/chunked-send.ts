import type { Message, Producer, TopicMessages } from 'kafkajs';

/** Default size of one produce request: below the 1 MiB that brokers and topics allow by default. */
export const DEFAULT_CHUNK_BYTES = 512 * 1024;

/** The bytes a message adds to a produce request (key, value, headers; framing is small). */
export function messageBytes(message: Message): number {
  let size = 16 + sizeOf(message.key) + sizeOf(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    size += Buffer.byteLength(name) + (Array.isArray(value) ? value.reduce((sum: number, v) => sum + sizeOf(v), 0) : sizeOf(value));
  }
  return size;
}

function sizeOf(value: Buffer | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

/**
 * Splits messages into produce requests of at most `maxBytes` each, in order (a message larger
 * than that travels alone). A broker refuses a record batch over the topic's `max.message.bytes`
 * as MESSAGE_TOO_LARGE, which no retry cures; one request per fetch made a large fetch of dead
 * letters unproducible and stalled its partition for good.
 */
export function chunkTopicMessages(topicMessages: TopicMessages[], maxBytes = DEFAULT_CHUNK_BYTES): TopicMessages[][] {
  const chunks: TopicMessages[][] = [];
  let current: TopicMessages[] = [];
  let size = 0;
  for (const { topic, messages } of topicMessages) {
    for (const message of messages) {
      const bytes = messageBytes(message);
      if (size > 0 && size + bytes > maxBytes) {
        chunks.push(current);
        current = [];
        size = 0;
      }
      const last = current[current.length - 1];
      if (last && last.topic === topic) last.messages.push(message);
      else current.push({ topic, messages: [message] });
      size += bytes;
    }
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Produces the messages in requests of at most `maxBytes`, one after the other, each acknowledged
 * by all in-sync replicas. With one request in flight, a key's messages keep their order.
 */
export async function sendInChunks(producer: Producer, topicMessages: TopicMessages[], maxBytes = DEFAULT_CHUNK_BYTES): Promise<void> {
  for (const chunk of chunkTopicMessages(topicMessages, maxBytes)) await producer.sendBatch({ topicMessages: chunk, acks: -1 });
}
