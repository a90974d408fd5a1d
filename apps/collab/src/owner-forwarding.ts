import { randomUUID } from "node:crypto";
import {
  CollabEngineError,
  type CollabEngine,
  type CollabEngineErrorReason,
  type DocumentForwarder,
  type DocumentRef,
  type JoinOutcome,
  type JoinResult,
  type SubmitOutcome,
} from "@devflow/collab-engine";
import { ErrorCodeSchema } from "@devflow/contracts";
import type { Logger } from "@devflow/observability";
import type { Redis } from "ioredis";
import { z } from "zod";

export interface OwnerForwardingOptions {
  /**
   * Publishes requests and answers. It must be the client the Socket.io adapter publishes its
   * broadcasts with: Redis delivers one connection's messages in the order they were published,
   * which is what keeps an owner's ack behind the remote ops it sent before it.
   */
  publisher: Pick<Redis, "publish">;
  /** Receives requests and answers; the adapter's subscriber, for the same reason. */
  subscriber: Pick<Redis, "subscribe" | "unsubscribe" | "on" | "off">;
  /** Channel names start with it (`<prefix>forward:<instance>`). */
  channelPrefix: string;
  instanceId: string;
  /** How long to wait for the owner's answer before looking the owner up again. */
  timeoutMs: number;
  logger: Logger;
}

export interface OwnerForwarding {
  readonly forwarder: DocumentForwarder;
  /** Subscribes this instance's channel and answers requests forwarded to it by running them on `engine`. */
  serve(engine: CollabEngine): Promise<void>;
  /** Stops answering; requests still waiting for an owner end as `not_owner` refusals. */
  close(): Promise<void>;
}

const ForwardedRefSchema = z.object({ organizationId: z.string().min(1), documentId: z.string().min(1) });
const EnvelopeSchema = { v: z.literal(1), id: z.string().min(1) };

const ForwardedJoinSchema = z.object({
  ...EnvelopeSchema,
  kind: z.literal("join"),
  replyTo: z.string().min(1),
  ref: ForwardedRefSchema,
  lastKnownVersion: z.number().int().optional(),
  hasPending: z.boolean().optional(),
});

const ForwardedSubmitSchema = z.object({
  ...EnvelopeSchema,
  kind: z.literal("submit"),
  replyTo: z.string().min(1),
  ref: ForwardedRefSchema,
  clientOpId: z.string(),
  baseVersion: z.number(),
  op: z.unknown(),
  userId: z.string(),
  origin: z.string().optional(),
});

const RefusalSchema = z.object({
  ok: z.literal(false),
  error: z.object({ reason: z.string(), code: ErrorCodeSchema, message: z.string() }),
});

const AnswerSchema = z.object({
  ...EnvelopeSchema,
  kind: z.literal("answer"),
  // The owner's engine built these; the join result and the ack are passed on as they are.
  outcome: z.union([z.looseObject({ ok: z.literal(true) }), RefusalSchema]),
});

const MessageSchema = z.discriminatedUnion("kind", [ForwardedJoinSchema, ForwardedSubmitSchema, AnswerSchema]);
type Answer = z.infer<typeof AnswerSchema>;
type WireOutcome = Answer["outcome"];

/**
 * Request and answer between collab instances over Redis pub/sub: each instance listens on its own
 * channel; a request carries an id and the channel to answer on. The owner answers from inside
 * the sequencer's callbacks, so an answer leaves between the same broadcasts as a local ack would.
 * The forwarding side delivers it synchronously from the subscriber's message event, before any
 * broadcast the owner published after it.
 */
export function createOwnerForwarding(options: OwnerForwardingOptions): OwnerForwarding {
  const { publisher, subscriber, channelPrefix, instanceId, timeoutMs, logger } = options;
  const channelOf = (id: string) => `${channelPrefix}forward:${id}`;
  const ownChannel = channelOf(instanceId);
  const waiting = new Map<string, (outcome: WireOutcome | null) => void>();
  let engine: CollabEngine | null = null;

  /**
   * Publishes a request and resolves with `onAnswer(outcome)`, or `onAnswer(null)` when no owner
   * answered: nobody listens on its channel (the instance is gone) or the timeout passed.
   */
  const request = <T>(ownerId: string, message: object, onAnswer: (outcome: WireOutcome | null) => T): Promise<T> =>
    new Promise((resolve) => {
      const id = randomUUID();
      const finish = (outcome: WireOutcome | null) => {
        if (!waiting.delete(id)) return;
        clearTimeout(timer);
        resolve(onAnswer(outcome));
      };
      const timer = setTimeout(() => finish(null), timeoutMs);
      waiting.set(id, finish);
      publisher.publish(channelOf(ownerId), JSON.stringify({ v: 1, id, replyTo: ownChannel, ...message })).then(
        (receivers) => {
          if (receivers === 0) finish(null);
        },
        (error: unknown) => {
          logger.warn({ err: error, ownerId }, "could not forward to a document's owner");
          finish(null);
        },
      );
    });

  const unreachable = (ownerId: string, ref: DocumentRef) =>
    new CollabEngineError(
      "not_owner",
      "unavailable",
      `Collab instance ${ownerId}, which serves document ${ref.documentId}, did not answer; retry`,
    );

  const forwarder: DocumentForwarder = {
    join(ownerId, ref, joinRequest) {
      const { lastKnownVersion, hasPending } = joinRequest;
      return request(ownerId, { kind: "join", ref, lastKnownVersion, hasPending }, (wire): JoinOutcome => {
        const outcome: JoinOutcome = wire ? decode<JoinOutcome>(wire) : { ok: false, error: unreachable(ownerId, ref) };
        if (outcome.ok) callSafely(() => joinRequest.onJoined?.(outcome.result), "onJoined threw");
        return outcome;
      });
    },

    submit(ownerId, ref, submitRequest) {
      const { clientOpId, baseVersion, op, userId, origin } = submitRequest;
      const message = { kind: "submit", ref, clientOpId, baseVersion, op, userId, origin };
      return request(ownerId, message, (wire): SubmitOutcome => {
        const outcome: SubmitOutcome = wire
          ? decode<SubmitOutcome>(wire)
          : { ok: false, error: unreachable(ownerId, ref) };
        callSafely(() => submitRequest.onSettled?.(outcome), "onSettled threw");
        return outcome;
      });
    },
  };

  const callSafely = (fn: () => void, message: string) => {
    try {
      fn();
    } catch (error) {
      logger.error({ err: error }, message);
    }
  };

  const answer = (replyTo: string, id: string, outcome: JoinOutcome | SubmitOutcome) => {
    const message: Answer = { v: 1, kind: "answer", id, outcome: encode(outcome) };
    publisher.publish(replyTo, JSON.stringify(message)).catch((error: unknown) => {
      logger.warn({ err: error, replyTo }, "could not answer a forwarded request");
    });
  };

  const serveJoin = async (served: CollabEngine, message: z.infer<typeof ForwardedJoinSchema>) => {
    const { replyTo, id, ref, lastKnownVersion, hasPending } = message;
    const outcome = await served.joinAsOwner(ref, {
      ...(lastKnownVersion !== undefined && { lastKnownVersion }),
      ...(hasPending !== undefined && { hasPending }),
      // Inside the document's queue: the answer is published before any later op's broadcast.
      onJoined: (result: JoinResult) => answer(replyTo, id, { ok: true, result }),
    });
    if (!outcome.ok) answer(replyTo, id, outcome);
  };

  const serveSubmit = async (served: CollabEngine, message: z.infer<typeof ForwardedSubmitSchema>) => {
    const { replyTo, id, ref, clientOpId, baseVersion, op, userId, origin } = message;
    await served.submitAsOwner(ref, {
      clientOpId,
      baseVersion,
      op,
      userId,
      ...(origin !== undefined && { origin }),
      // Right before the op's broadcast, as for a local author.
      onSettled: (outcome) => answer(replyTo, id, outcome),
    });
  };

  const onMessage = (channel: string, raw: string) => {
    if (channel !== ownChannel) return;
    let message: z.infer<typeof MessageSchema>;
    try {
      message = MessageSchema.parse(JSON.parse(raw));
    } catch (error) {
      logger.warn({ err: error }, "ignored a malformed message between collab instances");
      return;
    }
    if (message.kind === "answer") {
      waiting.get(message.id)?.(message.outcome);
      return;
    }
    if (!engine) return;
    const work = message.kind === "join" ? serveJoin(engine, message) : serveSubmit(engine, message);
    work.catch((error: unknown) => logger.error({ err: error }, "could not serve a forwarded request"));
  };

  return {
    forwarder,
    async serve(served) {
      engine = served;
      subscriber.on("message", onMessage);
      await subscriber.subscribe(ownChannel);
    },
    async close() {
      engine = null;
      subscriber.off("message", onMessage);
      for (const finish of [...waiting.values()]) finish(null);
      await subscriber.unsubscribe(ownChannel).catch(() => undefined);
    },
  };
}

function encode(outcome: JoinOutcome | SubmitOutcome): WireOutcome {
  if (outcome.ok) return outcome;
  const { reason, code, message } = outcome.error;
  return { ok: false, error: { reason, code, message } };
}

function decode<T extends JoinOutcome | SubmitOutcome>(wire: WireOutcome): T {
  if (wire.ok) return wire as unknown as T;
  const { reason, code, message } = wire.error;
  return { ok: false, error: new CollabEngineError(reason as CollabEngineErrorReason, code, message) } as T;
}
