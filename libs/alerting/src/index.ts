export { alertIdentity, alertStatus, wireAlert, type Alert } from './alert';
export { DRIFT_ALERT_KINDS, DRIFT_ALERT_NAME, DriftAlertPlanner, type DriftAlertKind, type DriftAlertOptions } from './drift-alert-planner';
export { webhookPayload, type WebhookPayload } from './webhook-payload';
