import { z } from "zod";
import { COMMENT_MENTIONS_MAX } from "./comments";
import { DOCUMENT_MENTIONS_MAX } from "./document-mentions";
import { WORKFLOW_NAME_MAX } from "./workflows";

/** How much of a dead letter's error a `job.failed` event carries. */
export const JOB_FAILED_ERROR_MAX = 500;
/** The most people one `project.shared` event names; a larger grant is recorded as several events. */
export const PROJECT_SHARED_RECIPIENTS_MAX = 500;

/**
 * The event catalog: every event the product publishes, with the shape of its payload per
 * version. Producers write events to the outbox in the same transaction as the change; the bus
 * delivers them to handlers at least once, so handlers are idempotent by event id.
 *
 * Payloads carry ids and short labels, never document text: events travel through queues and
 * Pub/Sub topics outside row-level security, and a handler reads what it needs under the
 * organization's context. A breaking change to a payload is a new version beside the old one,
 * kept until no outbox row or queued job of the old version can remain.
 */
export const EVENT_CATALOG = {
  "document.created": {
    version: 1,
    data: z.object({
      documentId: z.uuid(),
      projectId: z.uuid(),
      title: z.string().max(300),
      /** Who created it; null when the system did (an import, a template copy without a person). */
      createdById: z.uuid().nullable(),
    }),
  },
  "document.archived": {
    version: 1,
    data: z.object({
      documentId: z.uuid(),
      projectId: z.uuid(),
      archivedById: z.uuid().nullable(),
    }),
  },
  /** A file's bytes are stored; the file processor scans, extracts and indexes it (files row). */
  "file.uploaded": {
    version: 1,
    data: z.object({
      fileId: z.uuid(),
      projectId: z.uuid(),
      uploadedById: z.uuid().nullable(),
    }),
  },
  /** A verified webhook delivery was stored; its handler processes it (webhook_deliveries row). */
  "webhook.received": {
    version: 1,
    data: z.object({
      /** The webhook_deliveries row, not the provider's delivery id. */
      deliveryId: z.uuid(),
      integrationId: z.uuid(),
      provider: z.enum(["github", "slack", "jira", "linear"]),
      /** The provider's event name, e.g. "pull_request" or "push". */
      event: z.string().max(100),
    }),
  },
  /**
   * A comment was posted (a new thread or a reply), or an edit mentions people it did not mention
   * before (then `mentionedUserIds` holds only those, and `isEdit` is true). Notifications read the
   * comment and the thread under the organization's context; the text never travels in the event.
   */
  "comment.created": {
    version: 1,
    data: z.object({
      commentId: z.uuid(),
      documentId: z.uuid(),
      /** The thread's first comment; equal to `commentId` for a new thread. */
      threadId: z.uuid(),
      authorId: z.uuid(),
      mentionedUserIds: z.array(z.uuid()).max(COMMENT_MENTIONS_MAX),
      isReply: z.boolean(),
      /**
       * True when an edit newly mentions people: only they are told, and the thread's participants
       * are not told of a reply a second time. Absent (false) when the comment was just posted.
       */
      isEdit: z.boolean().optional(),
    }),
  },
  /**
   * Someone's edit to a document's text inserted @mention tokens (`@[Name](mention:<id>)`) of these
   * people. Recorded by the documents domain after the op is durable, only for active members who
   * can read the document, never the author, and at most once an hour per person and document (so
   * undo, redo or re-typing do not repeat it). A restore of an earlier version records nothing.
   */
  "document.mentioned": {
    version: 1,
    data: z.object({
      documentId: z.uuid(),
      projectId: z.uuid(),
      mentionedById: z.uuid(),
      userIds: z.array(z.uuid()).min(1).max(DOCUMENT_MENTIONS_MAX),
    }),
  },
  /**
   * A handler failed on an event on every attempt and the bus dead-lettered it (the organization's
   * Integrations settings list it under "Failed jobs"). Recorded by the bus's dead-letter hook, in
   * the failed event's organization; notifications tell its admins and owners. Never recorded for
   * a dead letter of a `job.failed` event itself, so a failing notifier cannot feed itself.
   */
  "job.failed": {
    version: 1,
    data: z.object({
      /** The handler's name (its queue or subscription), e.g. "notifications.comment-created". */
      handler: z.string().min(1).max(200),
      /** The event that was dead-lettered. */
      eventId: z.uuid(),
      /** Its type as the bus read it; a message that was not a catalog event keeps what it claimed. */
      eventType: z.string().min(1).max(100),
      /** Attempts made in all, the last included. */
      attempts: z.number().int().positive(),
      /** The last attempt's error message, shortened; null when the bus has none. */
      error: z.string().max(JOB_FAILED_ERROR_MAX).nullable(),
    }),
  },
  /**
   * People were given access to a private project (at creation, or when its access list changed),
   * directly or through a group, who could not see it before. `userIds` holds only them, never the
   * person who shared it, nor admins and owners (who see every project); a long list is split into
   * several events of at most PROJECT_SHARED_RECIPIENTS_MAX.
   */
  "project.shared": {
    version: 1,
    data: z.object({
      projectId: z.uuid(),
      sharedById: z.uuid(),
      userIds: z.array(z.uuid()).min(1).max(PROJECT_SHARED_RECIPIENTS_MAX),
    }),
  },
  /**
   * A workflow run is due: started (startWorkflowRun, with the run in the same transaction) or
   * retried by an admin. The runner (libs/domain/workflows) executes its steps that have not
   * succeeded yet; the run row holds everything else.
   */
  "workflow.run_requested": {
    version: 1,
    data: z.object({
      runId: z.uuid(),
      workflow: z.string().min(1).max(WORKFLOW_NAME_MAX),
    }),
  },
  /**
   * An issue was opened in a connected repository (or first seen open): triage suggests its
   * priority, labels, component and likely duplicates (issues row).
   */
  "issue.opened": {
    version: 1,
    data: z.object({
      issueId: z.uuid(),
      repositoryId: z.uuid(),
    }),
  },
} as const satisfies Record<string, { version: number; data: z.ZodType }>;

export type EventType = keyof typeof EVENT_CATALOG;
export const EVENT_TYPES = Object.keys(EVENT_CATALOG) as EventType[];
export const EventTypeSchema = z.enum(EVENT_TYPES as [EventType, ...EventType[]]);

export type EventData<T extends EventType> = z.infer<(typeof EVENT_CATALOG)[T]["data"]>;

/** An event as handlers receive it, whatever transport carried it. */
export interface DomainEvent<T extends EventType = EventType> {
  /** Unique per event; the idempotency key of every handler. */
  id: string;
  type: T;
  version: number;
  organizationId: string;
  /** When the change that caused it committed (ISO 8601). */
  occurredAt: string;
  data: EventData<T>;
}

/** The envelope on the wire (jobs, Pub/Sub messages); `data` is checked against the catalog by parseEvent. */
export const EventEnvelopeSchema = z.object({
  id: z.uuid(),
  type: EventTypeSchema,
  version: z.number().int().positive(),
  organizationId: z.uuid(),
  occurredAt: z.iso.datetime({ offset: true }),
  data: z.unknown(),
});

/** Thrown for a message that is not a known event of a known version: retrying cannot fix it. */
export class InvalidEventError extends Error {
  override name = "InvalidEventError";
}

/** Validates an envelope and its payload against the catalog. */
export function parseEvent(raw: unknown): DomainEvent {
  const envelope = EventEnvelopeSchema.safeParse(raw);
  if (!envelope.success) {
    throw new InvalidEventError(`Not an event envelope: ${z.prettifyError(envelope.error)}`);
  }
  const { type, version } = envelope.data;
  const entry = EVENT_CATALOG[type];
  if (version !== entry.version) {
    throw new InvalidEventError(`${type} version ${version} is not in the catalog (current: ${entry.version})`);
  }
  const data = entry.data.safeParse(envelope.data.data);
  if (!data.success) {
    throw new InvalidEventError(`Invalid ${type} v${version} payload: ${z.prettifyError(data.error)}`);
  }
  return { ...envelope.data, data: data.data } as DomainEvent;
}
