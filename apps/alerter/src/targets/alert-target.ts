import type { Alert } from '@pg2ddb/alerting';
import { Pg2ddbError } from '@pg2ddb/errors';

/** Where alerts go. `send` resolves once the receiver accepted them and throws otherwise. */
export interface AlertTarget {
  readonly name: string;
  send(alerts: Alert[], now: Date): Promise<void>;
}

/** A receiver that answered with an error status or could not be reached (retried by the caller). */
export class AlertTargetError extends Pg2ddbError {
  constructor(target: string, detail: string, cause?: unknown) {
    super('ALERT_TARGET_FAILED', `${target}: ${detail}`, { retriable: true, cause, details: { target } });
  }
}

/** POSTs JSON and throws an AlertTargetError unless the answer is 2xx. */
export async function postJson(target: string, url: string, body: unknown, headers: Record<string, string> = {}): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new AlertTargetError(target, `POST ${url} failed: ${(error as Error).message}`, error);
  }
  if (response.status < 200 || response.status >= 300) {
    const text = await response.text().catch(() => '');
    throw new AlertTargetError(target, `POST ${url} answered ${response.status}: ${text.slice(0, 500)}`);
  }
  await response.arrayBuffer().catch(() => undefined);
}
