import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { errorMessage } from '@pg2ddb/errors';
import {
  deadLetterSummary,
  listDeadLetters,
  loadRates,
  readRunHistory,
  sampleStatus,
  StatusHistory,
  type ListedLetter,
  type PipelineClients,
  type PipelineState,
  type StatusReading,
} from '@pg2ddb/ops';
import type { ReconciliationRun } from '@pg2ddb/postgres';
import type { StatusConfig } from './status-config';
import { PIPELINE_CLIENTS, STATUS_CONFIG } from './tokens';

const DEAD_LETTERS_SHOWN = 100;
const DEAD_LETTERS_MAX_AGE_MS = 60_000;
const RUN_HISTORY_MS = 24 * 3600_000;

/**
 * Reads the pipeline every PG2DDB_STATUS_SAMPLE_SECONDS, whoever is watching, and keeps an hour of
 * readings: every browser gets the same cached view, so ten open pages cost what one does.
 */
@Injectable()
export class StatusSampler implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('StatusSampler');
  private readonly history = new StatusHistory();
  private timer?: NodeJS.Timeout;
  private reading?: StatusReading;
  private previous?: PipelineState;
  private running?: Promise<void>;
  private letters: { at: number; pending: number; topic: string; list: ListedLetter[] } | undefined;
  private runs: ReconciliationRun[] = [];

  constructor(
    @Inject(PIPELINE_CLIENTS) private readonly clients: PipelineClients,
    @Inject(STATUS_CONFIG) private readonly config: StatusConfig,
  ) {}

  onModuleInit(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.config.PG2DDB_STATUS_SAMPLE_SECONDS * 1000);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Takes a reading now (after an action), unless one is under way; resolves when it is done. */
  async tick(options: { refreshDeadLetters?: boolean } = {}): Promise<void> {
    if (this.running) return this.running;
    this.running = this.read(options.refreshDeadLetters === true).finally(() => (this.running = undefined));
    return this.running;
  }

  /** What the page shows: the latest reading with load rates, the plotted series, DLQ and runs. */
  view() {
    const reading = this.reading;
    const rates = reading ? loadRates(reading.state, this.previous) : new Map<string, { rate?: number; etaMs?: number }>();
    return {
      prefix: this.clients.prefix,
      sampleSeconds: this.config.PG2DDB_STATUS_SAMPLE_SECONDS,
      actionsEnabled: this.config.PG2DDB_STATUS_ADMIN_TOKEN !== undefined,
      lagMeasured: this.config.PG2DDB_STATUS_WRITER_METRICS_URLS.length > 0,
      state: reading ? { ...reading.state, entities: reading.state.entities.map((entity) => ({ ...entity, ...rates.get(entity.entity) })) } : undefined,
      slot: reading?.slot ?? null,
      series: this.history.series(),
      deadLetters: this.letters
        ? { topic: this.letters.topic, total: this.letters.list.length, pending: this.letters.pending, byStageAndCode: deadLetterSummary(this.letters.list), letters: this.letters.list.slice(-DEAD_LETTERS_SHOWN).reverse() }
        : null,
      runs: this.runs,
    };
  }

  private async read(refreshDeadLetters: boolean): Promise<void> {
    try {
      const reading = await sampleStatus(this.clients, { writerMetricsUrls: this.config.PG2DDB_STATUS_WRITER_METRICS_URLS });
      this.history.add(reading.sample);
      if (this.reading) this.previous = this.reading.state;
      this.reading = reading;
      const pending = reading.state.deadLetters;
      if (refreshDeadLetters || !this.letters || this.letters.pending !== pending || Date.now() - this.letters.at > DEAD_LETTERS_MAX_AGE_MS) {
        const listed = await listDeadLetters(this.clients.kafka, this.clients.prefix);
        this.letters = { at: Date.now(), pending: listed.pending, topic: listed.topic, list: listed.letters };
      }
      this.runs = await readRunHistory(this.clients.pg, this.clients.prefix, new Date(Date.now() - RUN_HISTORY_MS));
    } catch (error) {
      this.logger.warn(`reading the pipeline failed: ${errorMessage(error)}`);
    }
  }
}
