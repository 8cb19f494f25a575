import type { Admin, Kafka } from 'kafkajs';

/**
 * Moves an (inactive) consumer group back to the start of the given topics, so its service
 * replays them. Used when the DynamoDB table had to be created anew behind committed offsets;
 * the writer's version guard makes the replay converge. Returns the topics that were rewound.
 *
 * Kafka refuses to move the offsets of a group with members. A member that stopped without
 * leaving (killed, or its shutdown cut short) stays one until its session times out, so this waits
 * up to `emptyTimeoutMs` for the group to empty, then fails naming the members still in it.
 */
export async function rewindConsumerGroup(kafka: Kafka, groupId: string, topics: string[], emptyTimeoutMs = 60_000): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await waitUntilEmpty(admin, groupId, emptyTimeoutMs);
    const existing = new Set(await admin.listTopics());
    const rewound: string[] = [];
    for (const topic of topics.filter((candidate) => existing.has(candidate))) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      if (!committed || committed.partitions.every((partition) => partition.offset === '-1')) continue;
      await admin.resetOffsets({ groupId, topic, earliest: true });
      rewound.push(topic);
    }
    return rewound;
  } finally {
    await admin.disconnect();
  }
}

async function waitUntilEmpty(admin: Admin, groupId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [group] = (await admin.describeGroups([groupId])).groups;
    if (!group || group.members.length === 0 || group.state === 'Empty' || group.state === 'Dead') return;
    if (Date.now() >= deadline) {
      throw new Error(
        `consumer group ${groupId} still has ${group.members.length} member(s) after ${Math.round(timeoutMs / 1000)} s (${group.members.map((member) => `${member.clientId}@${member.clientHost}`).join(', ')}): stop them before rewinding`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
