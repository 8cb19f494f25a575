import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ReconcileMode } from '@pg2ddb/contracts';
import type { CompiledMapping } from '@pg2ddb/mapping';
import { runReconciliation, type ReconcileReport, type ReconcileRequest } from '@pg2ddb/reconcile';
import { KAFKA_PRODUCER } from '@pg2ddb/service';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { Registry } from 'prom-client';

import type { ReconcilerConfig } from './reconciler-config';
import { ReconcilerMetrics } from './reconciler-metrics';
import { COMPILED_MAPPING, DYNAMO_CLIENT, KAFKA, PG_POOL, RECONCILER_CONFIG } from './tokens';

/** A run was asked for while another one is going: runs never overlap. */
export class ReconciliationBusyError extends Error {}

/** What an on-demand run may set; the rest comes from the environment. */
export interface OnDemandRequest {
  mode?: ReconcileMode;
  entities?: string[];
  sampleSize?: number;
  repair?: boolean;
}

/**
 * Runs reconciliations on the configured timer and on demand (HTTP endpoint), one at a time, and
 * records each entity's outcome as metrics. The comparison itself lives in @pg2ddb/reconcile,
 * shared with `pg2ddb reconcile`.
 */
@Injectable()
export class ReconciliationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconciliationService.name);
  private readonly metrics: ReconcilerMetrics;
  private timer?: NodeJS.Timeout;
  private running?: Promise<ReconcileReport>;

  constructor(
    @Inject(RECONCILER_CONFIG) private readonly config: ReconcilerConfig,
    @Inject(COMPILED_MAPPING) private readonly mapping: CompiledMapping,
    @Inject(PG_POOL) private readonly pg: Pool,
    @Inject(DYNAMO_CLIENT) private readonly dynamo: DynamoDBClient,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(Registry) registry: Registry,
  ) {
    this.metrics = new ReconcilerMetrics(registry);
  }

  onApplicationBootstrap(): void {
    if (!this.config.PG2DDB_RECONCILE_SCHEDULE) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.run({}).catch((error: unknown) => {
        if (!(error instanceof ReconciliationBusyError)) this.logger.error(`scheduled reconciliation failed: ${(error as Error).message}`);
      });
    }, this.config.PG2DDB_RECONCILE_INTERVAL_SECONDS * 1000);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Starts a run unless one is going (then throws ReconciliationBusyError); resolves with its report. */
  run(overrides: OnDemandRequest): Promise<ReconcileReport> {
    if (this.running) throw new ReconciliationBusyError('a reconciliation is already running');
    const config = this.config;
    const request: ReconcileRequest = {
      mode: overrides.mode ?? config.PG2DDB_RECONCILE_MODE,
      entities: overrides.entities ?? config.PG2DDB_RECONCILE_ENTITIES,
      sampleSize: overrides.sampleSize ?? config.PG2DDB_RECONCILE_SAMPLE_SIZE,
      repair: overrides.repair ?? config.PG2DDB_RECONCILE_REPAIR,
      confirmTimeoutMs: config.PG2DDB_RECONCILE_CONFIRM_TIMEOUT_SECONDS * 1000,
      pageSize: config.PG2DDB_RECONCILE_PAGE_SIZE,
      scanSegments: config.PG2DDB_RECONCILE_SCAN_SEGMENTS,
      concurrency: config.PG2DDB_RECONCILE_CONCURRENCY,
      maxRowsPerSecond: config.PG2DDB_RECONCILE_MAX_ROWS_PER_SECOND,
      ...(config.PG2DDB_RECONCILE_RECENT_COLUMN
        ? { recent: { column: config.PG2DDB_RECONCILE_RECENT_COLUMN, windowSeconds: config.PG2DDB_RECONCILE_RECENT_WINDOW_SECONDS } }
        : {}),
    };
    const run = runReconciliation(
      {
        pg: this.pg,
        dynamo: this.dynamo,
        kafka: this.kafka,
        producer: this.producer,
        mapping: this.mapping,
        topicPrefix: config.PG2DDB_TOPIC_PREFIX,
        history: config.PG2DDB_RECONCILE_HISTORY,
        sourceEpoch: config.PG2DDB_SOURCE_EPOCH,
        redactValues: config.PG2DDB_REDACT_VALUES,
        ...(config.PG2DDB_SLOT_NAME ? { slot: config.PG2DDB_SLOT_NAME } : {}),
      },
      request,
    ).then(
      (report) => {
        for (const entity of report.entities) {
          this.metrics.record(entity);
          const { counts, consistencyRate } = entity.summary;
          if (entity.versionsAhead > 0) {
            this.logger.error(
              `${entity.versionsAhead} item(s) of ${entity.summary.entity} carry a version above the source's position: the source moved to a new WAL history; bump PG2DDB_SOURCE_EPOCH (docs/runbook.md) or every later change of them is refused as stale`,
              { runId: report.runId },
            );
          }
          this.logger.log(`reconciliation ${entity.summary.mode} ${entity.summary.entity}: checked ${counts.checked}, rate ${consistencyRate}`, {
            runId: report.runId,
            ...counts,
          });
        }
        return report;
      },
      (error: unknown) => {
        for (const entity of request.entities?.length ? request.entities : ['*']) this.metrics.failed(entity);
        throw error;
      },
    );
    this.running = run.finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}
