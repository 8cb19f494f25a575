import { alertStatus, wireAlert, type Alert } from './alert';

/** The body pg2ddb's generic webhook target POSTs (JSON): a version, the sender, the alerts. */
export interface WebhookPayload {
  version: 'pg2ddb.alerts.v1';
  sender: string;
  alerts: Array<Omit<Alert, 'onlyIfOpen'> & { status: 'firing' | 'resolved' }>;
}

/**
 * The generic webhook's body for a set of alerts: the Alertmanager shape plus each alert's
 * `status`, so a receiver needs no clock to tell firing from resolved. A webhook cannot be asked
 * what is open, so `onlyIfOpen` resolves are sent too: a receiver ignores resolves it never saw fire.
 */
export function webhookPayload(alerts: Alert[], now: Date, sender = 'pg2ddb-alerter'): WebhookPayload {
  return { version: 'pg2ddb.alerts.v1', sender, alerts: alerts.map((alert) => ({ ...wireAlert(alert), status: alertStatus(alert, now) })) };
}
