import type { Alert } from '@pg2ddb/alerting';

import { postJson, type AlertTarget } from './alert-target';

/** Alertmanager's v2 API: `POST <base>/api/v2/alerts` with a JSON array of postable alerts. */
export class AlertmanagerTarget implements AlertTarget {
  readonly name = 'alertmanager';

  constructor(private readonly baseUrl: string) {}

  async send(alerts: Alert[]): Promise<void> {
    await postJson(this.name, `${this.baseUrl}/api/v2/alerts`, alerts);
  }
}
