import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceModule } from '@pg2ddb/service';

import { AlertDispatcher } from './alert-dispatcher';
import type { AlerterConfig } from './alerter-config';
import { DriftBatchHandler } from './drift-batch.handler';
import type { AlertTarget } from './targets/alert-target';
import { AlertmanagerTarget } from './targets/alertmanager-target';
import { WebhookTarget } from './targets/webhook-target';
import { ALERT_TARGETS, ALERTER_CONFIG } from './tokens';

/** Wires the alerter: the configured targets, the dispatcher and the drift-topic handler. */
@Module({})
export class AlerterModule {
  static forRoot(config: AlerterConfig): DynamicModule {
    const targets: AlertTarget[] = [];
    if (config.PG2DDB_ALERTMANAGER_URL) targets.push(new AlertmanagerTarget(config.PG2DDB_ALERTMANAGER_URL));
    if (config.PG2DDB_ALERT_WEBHOOK_URL) targets.push(new WebhookTarget(config.PG2DDB_ALERT_WEBHOOK_URL, config.PG2DDB_ALERT_WEBHOOK_TOKEN));
    return {
      module: AlerterModule,
      imports: [ServiceModule],
      controllers: [DriftBatchHandler],
      providers: [{ provide: ALERTER_CONFIG, useValue: config }, { provide: ALERT_TARGETS, useValue: targets }, AlertDispatcher],
    };
  }
}
