import { webhookPayload, type Alert } from '@pg2ddb/alerting';

import { postJson, type AlertTarget } from './alert-target';

/** A generic webhook: POSTs `{version: "pg2ddb.alerts.v1", sender, alerts: [...]}` (see docs/alerting.md). */
export class WebhookTarget implements AlertTarget {
  readonly name = 'webhook';

  constructor(
    private readonly url: string,
    private readonly token?: string,
  ) {}

  async send(alerts: Alert[], now: Date): Promise<void> {
    await postJson(this.name, this.url, webhookPayload(alerts, now), this.token ? { authorization: `Bearer ${this.token}` } : {});
  }
}
