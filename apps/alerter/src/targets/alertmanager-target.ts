import { alertIdentity, DRIFT_ALERT_NAME, wireAlert, type Alert } from '@pg2ddb/alerting';

import { AlertTargetError, postJson, type AlertTarget } from './alert-target';

/**
 * Alertmanager's v2 API: `POST <base>/api/v2/alerts` with a JSON array of postable alerts. A
 * resolve marked `onlyIfOpen` is sent only when Alertmanager lists that alert as active
 * (`GET /api/v2/alerts`), so a receiver is never told that an alert it never saw was resolved.
 */
export class AlertmanagerTarget implements AlertTarget {
  readonly name = 'alertmanager';

  constructor(private readonly baseUrl: string) {}

  async send(alerts: Alert[]): Promise<void> {
    const speculative = alerts.filter((alert) => alert.onlyIfOpen);
    const open = speculative.length > 0 ? await this.openAlerts(speculative) : new Set<string>();
    const wanted = alerts.filter((alert) => !alert.onlyIfOpen || open.has(alertIdentity(alert.labels))).map(wireAlert);
    if (wanted.length > 0) await postJson(this.name, `${this.baseUrl}/api/v2/alerts`, wanted);
  }

  /** Identities of the active drift alerts of the prefixes concerned. */
  private async openAlerts(alerts: Alert[]): Promise<Set<string>> {
    const open = new Set<string>();
    for (const prefix of new Set(alerts.map((alert) => alert.labels.topic_prefix ?? ''))) {
      const filter = [`alertname="${DRIFT_ALERT_NAME}"`, `topic_prefix=${JSON.stringify(prefix)}`].map((f) => `filter=${encodeURIComponent(f)}`).join('&');
      const url = `${this.baseUrl}/api/v2/alerts?active=true&silenced=true&inhibited=true&${filter}`;
      let response: Response;
      try {
        response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      } catch (error) {
        throw new AlertTargetError(this.name, `GET ${url} failed: ${(error as Error).message}`, error);
      }
      if (response.status !== 200) throw new AlertTargetError(this.name, `GET ${url} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
      for (const alert of (await response.json()) as Array<{ labels: Record<string, string> }>) open.add(alertIdentity(alert.labels));
    }
    return open;
  }
}
