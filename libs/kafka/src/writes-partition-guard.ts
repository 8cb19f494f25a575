import { Pg2ddbError } from '@pg2ddb/errors';
import type { Kafka } from 'kafkajs';

const MARK = 'pg2ddb:partitions=';

/** The offset-commit metadata that records how many partitions `<prefix>.writes` had. */
export function partitionsMetadata(partitions: number): string {
  return `${MARK}${partitions}`;
}

/**
 * Refuses to run a writer on a `<prefix>.writes` whose partition count differs from the one its
 * consumer group recorded with its committed offsets (`partitionsMetadata`). Commands are keyed
 * by item, and the version guard relies on one partition — so one writer at a time — owning an
 * item's commands in order; adding partitions moves keys to other partitions while older commands
 * of the same item may still wait in the old ones. The fix is a new topic (and prefix), never a
 * repartition (docs/writer.md). Resolves the current partition count when it is safe to go on.
 */
export async function assertWritesPartitions(kafka: Kafka, groupId: string, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = topics[0]?.partitions.length ?? 0;
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const recorded = new Set<number>();
    for (const entry of committed?.partitions ?? []) {
      if (BigInt(entry.offset) < 0n || !entry.metadata?.startsWith(MARK)) continue;
      recorded.add(Number(entry.metadata.slice(MARK.length)));
    }
    const other = [...recorded].filter((count) => count !== partitions);
    if (other.length > 0) {
      throw new Pg2ddbError(
        'KAFKA_WRITES_REPARTITIONED',
        `${topic} has ${partitions} partitions, but the writer group ${groupId} wrote items while it had ${other.join(', ')}: commands of one item may now sit in two partitions and be applied out of order. Never add partitions to ${topic}; start a new deployment prefix (a new topic) instead — see docs/writer.md`,
        { retriable: false, details: { topic, partitions, recorded: [...recorded] } },
      );
    }
    return partitions;
  } finally {
    await admin.disconnect();
  }
}
