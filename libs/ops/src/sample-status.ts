import { topicNames } from '@pg2ddb/contracts';
import { errorMessage } from '@pg2ddb/errors';
import type { Kafka } from 'kafkajs';
import type { PipelineClients } from './pipeline-clients';
import { readPipelineState, type PipelineState } from './pipeline-state';
import { parsePrometheusText, sumOf } from './prometheus-text';
import { readSlotWal, type SlotWal } from './slot-wal';
import type { StatusSample } from './status-history';

/** One tick of the status service: the pipeline's state, its slot and the plotted measures. */
export interface StatusReading {
  state: PipelineState;
  slot?: SlotWal;
  sample: StatusSample;
}

/**
 * Reads the pipeline's state (as `pg2ddb status` does), the replication slot's WAL, the writer
 * group's applied total and, from each writer's /metrics, its commit→visible histogram. A part
 * that fails leaves its measure null and adds to `state.errors`.
 */
export async function sampleStatus(clients: PipelineClients, options: { writerMetricsUrls?: readonly string[] } = {}): Promise<StatusReading> {
  const [state, slot, applied, metrics] = await Promise.all([
    readPipelineState(clients),
    readSlotWal(clients.pg, clients.slot).catch((error: unknown) => new Error(`replication slot: ${errorMessage(error)}`)),
    writerApplied(clients.kafka, clients.prefix).catch((error: unknown) => new Error(`writer offsets: ${errorMessage(error)}`)),
    writerLagHistogram(options.writerMetricsUrls ?? []).catch((error: unknown) => new Error(`writer metrics: ${errorMessage(error)}`)),
  ]);
  for (const part of [slot, applied, metrics]) if (part instanceof Error) state.errors.push(part.message);
  const histogram = metrics instanceof Error ? undefined : metrics;
  return {
    state,
    ...(slot instanceof Error || slot === undefined ? {} : { slot }),
    sample: {
      at: state.at,
      applied: applied instanceof Error ? null : applied,
      lagSum: histogram?.sum ?? null,
      lagCount: histogram?.count ?? null,
      retainedWalBytes: slot instanceof Error || slot === undefined ? null : slot.retainedBytes,
      writerLag: state.writerLag,
      deadLetters: state.deadLetters,
    },
  };
}

/** Write commands the writer group has committed (applied or dead-lettered): the sum of its offsets. */
async function writerApplied(kafka: Kafka, prefix: string): Promise<number | null> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const writes = topicNames(prefix).writes;
    if (!(await admin.listTopics()).includes(writes)) return null;
    const [committed] = await admin.fetchOffsets({ groupId: `${prefix}.writer`, topics: [writes] });
    return (committed?.partitions ?? []).reduce((sum, partition) => sum + Math.max(0, Number(partition.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

/** The writers' pg2ddb_writer_end_to_end_lag_seconds sum and count, added up; undefined without URLs. */
async function writerLagHistogram(urls: readonly string[]): Promise<{ sum: number; count: number } | undefined> {
  if (urls.length === 0) return undefined;
  let sum = 0;
  let count = 0;
  for (const url of urls) {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    const samples = parsePrometheusText(await response.text());
    sum += sumOf(samples, 'pg2ddb_writer_end_to_end_lag_seconds_sum');
    count += sumOf(samples, 'pg2ddb_writer_end_to_end_lag_seconds_count');
  }
  return { sum, count };
}
