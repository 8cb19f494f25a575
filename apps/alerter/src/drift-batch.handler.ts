import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { validateDriftMessage } from '@pg2ddb/contracts';
import { errorMessage } from '@pg2ddb/errors';
import type { IncomingBatch } from '@pg2ddb/kafka';

import { AlertDispatcher } from './alert-dispatcher';

/**
 * One partition batch of `<prefix>.drift`: validate each message against the v1 schema, let the
 * planner turn it into alerts, then send them. A send that fails throws, so the transport retries
 * the batch with backoff; the planner ignores what it has already seen and the outbox re-sends.
 */
@Controller()
export class DriftBatchHandler {
  private readonly logger = new Logger(DriftBatchHandler.name);

  constructor(@Inject(AlertDispatcher) private readonly dispatcher: AlertDispatcher) {}

  @EventPattern('drift')
  async handle(@Payload() batch: IncomingBatch): Promise<void> {
    for (const message of batch.messages) {
      let parsed: ReturnType<typeof validateDriftMessage>;
      try {
        parsed = validateDriftMessage(JSON.parse(message.value?.toString('utf8') ?? 'null'));
      } catch (error) {
        parsed = { ok: false, problems: [`not JSON: ${errorMessage(error)}`] };
      }
      if (!parsed.ok) {
        // Alerting must not stop on one bad message; the drift topic has no dead-letter stage.
        this.dispatcher.countMessage('invalid');
        this.logger.warn(`skipped a message that is not a v1 drift event or summary: ${parsed.problems.join('; ')}`, {
          topic: batch.topic,
          partition: batch.partition,
          offset: message.offset,
        });
        continue;
      }
      this.dispatcher.countMessage('accepted');
      this.dispatcher.enqueue(this.dispatcher.planner.accept(parsed.value, new Date()));
    }
    await this.dispatcher.flush();
  }
}
