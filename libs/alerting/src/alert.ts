/**
 * One alert as Alertmanager's v2 API takes it (`POST /api/v2/alerts`, a JSON array of these):
 * the labels identify the alert, `endsAt` in the past resolves it. The generic webhook sends the
 * same shape with its `status` spelled out.
 */
export interface Alert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** ISO-8601 instant. */
  startsAt: string;
  /** ISO-8601 instant: in the future while firing (Alertmanager resolves it then unless re-sent). */
  endsAt: string;
  generatorURL?: string;
  /**
   * Set on a resolve sent only in case an earlier process left the alert open (not part of the
   * wire format): a target that can list its open alerts sends it only for those.
   */
  onlyIfOpen?: true;
}

/** The alert as it goes on the wire (without pg2ddb's own `onlyIfOpen` marker). */
export function wireAlert(alert: Alert): Omit<Alert, 'onlyIfOpen'> {
  const { onlyIfOpen: _onlyIfOpen, ...wire } = alert;
  return wire;
}

/** Firing while `endsAt` is after `now`. */
export function alertStatus(alert: Alert, now: Date): 'firing' | 'resolved' {
  return Date.parse(alert.endsAt) > now.getTime() ? 'firing' : 'resolved';
}

/** A stable identity of an alert: its labels, sorted. */
export function alertIdentity(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(labels[name])}`)
    .join(',');
}
