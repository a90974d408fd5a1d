import { JOB_FAILED_ERROR_MAX, type DomainEvent } from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { recordEvent, type DeadLetter, type DeadLetterHook } from "@devflow/events";
import { FAILED_JOB_NOTIFICATION_HANDLER } from "./failed-job-notification.handler";
import { redactAddresses } from "./notification-delivery";

export interface DeadLetterRecorderOptions {
  /** Where skipped dead letters (a failed-job notification's own) are logged. */
  logger?: { warn(object: object, message: string): void };
}

/**
 * The bus's `onDeadLetter` hook: records a `job.failed` event for each dead letter, in the dead
 * event's organization (its own tenant transaction, through the outbox), so that
 * createFailedJobNotificationHandler tells that organization's admins.
 *
 * A dead letter of a `job.failed` event (the failed-job notifier itself gave up) records nothing:
 * otherwise a notifier that cannot deliver, say while SMTP is down, would fail on the event about
 * its own failure, and so on without end. It is still filed, and shown under "Failed jobs".
 *
 * Throws when the event cannot be recorded (a dead letter that names no organization, a database
 * that is down); the bus logs that, and the dead letter itself stays filed.
 */
export function createDeadLetterRecorder(db: Database, options: DeadLetterRecorderOptions = {}): DeadLetterHook {
  return async (letter) => {
    const event = (letter.event ?? {}) as Partial<DomainEvent>;
    const eventType = typeof event.type === "string" && event.type.length > 0 ? event.type : "unknown";
    if (isAboutFailedJobs(letter, eventType)) {
      options.logger?.warn(
        { handler: letter.handler, eventId: event.id },
        "a failed-job notification was dead-lettered; no job.failed event is recorded for it",
      );
      return;
    }
    const { organizationId, id: eventId } = event;
    if (!organizationId || !eventId) {
      throw new Error(`The dead letter of ${letter.handler} names no event id or organization; nobody is told`);
    }
    await db.withTenant({ organizationId }, (tx) =>
      recordEvent(tx, {
        type: "job.failed",
        organizationId,
        data: {
          handler: letter.handler.slice(0, 200),
          eventId,
          eventType: eventType.slice(0, 100),
          attempts: Math.max(1, Math.trunc(letter.attempts)),
          // Errors are written by handlers and libraries: no addresses leave the worker's logs.
          error: letter.error === null ? null : redactAddresses(letter.error).slice(0, JOB_FAILED_ERROR_MAX),
        },
      }),
    );
  };
}

function isAboutFailedJobs(letter: DeadLetter, eventType: string): boolean {
  return eventType === "job.failed" || letter.handler === FAILED_JOB_NOTIFICATION_HANDLER;
}
