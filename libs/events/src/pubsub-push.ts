import { InvalidEventError, parseEvent, type DomainEvent } from "@devflow/contracts";
import type { Database } from "@devflow/db";
import type { Logger } from "@devflow/observability";
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import { z } from "zod";
import { DEFAULT_RETRY_POLICY, type DeadLetterHook, type EventHandler, type RetryPolicy } from "./event-bus";
import { deliverToHandler, fileForwardedDeadLetter, type DeliveryResult, type PubSubDelivery } from "./pubsub-delivery";

/** Google's signing keys for the OIDC tokens it attaches to push requests. */
export const GOOGLE_JWKS_URL = "https://www.googleapis.com/oauth2/v3/certs";
/** Google writes `iss` both ways in its ID tokens. */
export const GOOGLE_ISSUERS = ["https://accounts.google.com", "accounts.google.com"];

export interface PubSubPushVerifierOptions {
  /**
   * The `aud` the push subscription's token is minted for: its push auth audience, which defaults
   * to the push endpoint's URL.
   */
  audience: string | string[];
  /**
   * The service account the push subscription signs in as. Required: any Google account can get a
   * Google-signed token for any audience, so the signature and audience alone prove nothing about
   * the caller.
   */
  serviceAccountEmail: string;
  /** Where the signing keys are (default Google's); tests point it at a local key set. */
  jwksUrl?: string;
  /** Accepted `iss` values (default both of Google's spellings). */
  issuer?: string | string[];
  /** Allowed clock skew in seconds for `exp`, `iat` and `nbf` (default 30). */
  clockToleranceSeconds?: number;
}

export interface PubSubPushVerifier {
  /** Checks an `Authorization` header; resolves with the token's claims or throws PushAuthenticationError. */
  verify(authorization: string | null | undefined): Promise<JWTPayload & { email: string }>;
}

/** The push request did not come, provably, from our push subscription. */
export class PushAuthenticationError extends Error {
  override name = "PushAuthenticationError";
}

/**
 * Verifies the Google-signed OIDC token Pub/Sub sends with each push request (Cloud Run push
 * subscriptions with an authenticated service account): RS256 signature against Google's keys
 * (fetched and cached by jose, refreshed when a new key id appears), issuer, audience, expiry, and
 * that it was issued to the configured service account with a verified email.
 */
export function createPubSubPushVerifier(options: PubSubPushVerifierOptions): PubSubPushVerifier {
  const keys = createRemoteJWKSet(new URL(options.jwksUrl ?? GOOGLE_JWKS_URL));
  return {
    async verify(authorization) {
      const token = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(authorization?.trim() ?? "")?.[1];
      if (!token) throw new PushAuthenticationError("The push request has no Bearer token");
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          audience: options.audience,
          issuer: options.issuer ?? GOOGLE_ISSUERS,
          // Google signs ID tokens with RS256; naming it also refuses "none" and HMAC tokens.
          algorithms: ["RS256"],
          requiredClaims: ["exp", "iat"],
          clockTolerance: options.clockToleranceSeconds ?? 30,
        }));
      } catch (error) {
        throw new PushAuthenticationError(`The push token was refused: ${(error as Error).message}`, { cause: error });
      }
      if (payload.email !== options.serviceAccountEmail || payload.email_verified !== true) {
        throw new PushAuthenticationError("The push token was not issued to the push subscription's service account");
      }
      return payload as JWTPayload & { email: string };
    },
  };
}

/**
 * Pub/Sub's push body (the default, wrapped format): the message with its data base64-encoded,
 * the subscription, and deliveryAttempt when the subscription has a dead-letter policy.
 */
const PushEnvelopeSchema = z.object({
  message: z.object({
    data: z.base64().optional(),
    attributes: z.record(z.string(), z.string()).optional(),
    messageId: z.string().min(1),
    publishTime: z.string().optional(),
  }),
  subscription: z.string().min(1),
  deliveryAttempt: z.number().int().nonnegative().optional(),
});

/** The body is not a Pub/Sub push envelope. */
export class PushEnvelopeError extends Error {
  override name = "PushEnvelopeError";
}

export interface PushMessage {
  /** The subscription it was pushed from, `projects/…/subscriptions/<name>`. */
  subscription: string;
  publishTime?: string;
  delivery: PubSubDelivery;
}

/** Parses a push request's body into the delivery it carries; throws PushEnvelopeError. */
export function decodePushEnvelope(body: unknown): PushMessage {
  const parsed = PushEnvelopeSchema.safeParse(body);
  if (!parsed.success) throw new PushEnvelopeError(`Not a Pub/Sub push envelope: ${z.prettifyError(parsed.error)}`);
  const { message, subscription, deliveryAttempt } = parsed.data;
  return {
    subscription,
    publishTime: message.publishTime,
    delivery: {
      messageId: message.messageId,
      data: Buffer.from(message.data ?? "", "base64"),
      attributes: message.attributes ?? {},
      deliveryAttempt: deliveryAttempt ?? 0,
    },
  };
}

/**
 * Parses a push request's body into the event it carries, checked against the catalog: throws
 * PushEnvelopeError for something that is not a push envelope, InvalidEventError for a message
 * that is not an event.
 */
export function decodePushMessage(body: unknown): PushMessage & { event: DomainEvent } {
  const message = decodePushEnvelope(body);
  let raw: unknown;
  try {
    raw = JSON.parse(message.delivery.data.toString("utf8"));
  } catch {
    throw new InvalidEventError(`Message ${message.delivery.messageId} is not JSON`);
  }
  return { ...message, event: parseEvent(raw) };
}

export interface PushRequest {
  /** The `Authorization` header. */
  authorization: string | null | undefined;
  /** The parsed JSON body. */
  body: unknown;
}

export interface PushHandlingOptions {
  verifier: PubSubPushVerifier;
  /** Where dead letters are filed (event_dead_letters). */
  db: Database;
  /**
   * The handler's policy; the push subscription (set up outside the app) must match it: a
   * dead-letter policy with maxDeliveryAttempts = max(5, maxAttempts), so that Pub/Sub counts
   * deliveryAttempt, and a retry policy with minimumBackoff = baseDelaySeconds.
   */
  policy?: Partial<RetryPolicy>;
  logger?: Logger;
  /** Told of each dead letter once it is filed, as the pull transport's option of that name. */
  onDeadLetter?: DeadLetterHook;
}

export interface PushResponse {
  /** The HTTP status to answer with: Pub/Sub acks on 102, 200, 201, 202 and 204 and redelivers on anything else. */
  status: number;
  /** What happened, for the caller's log and metrics (see handlePush). */
  outcome: DeliveryResult["outcome"] | "unauthenticated" | "malformed";
}

/**
 * One push request for one handler, as the pull path handles a message (pubsub-bus.ts), mapped to
 * the status Pub/Sub acts on:
 *
 * - 204: applied; meant for another handler (an admin's retry: the emulator ignores filters, so a
 *   Cloud Run service must check too); or filed as a dead letter: on the last attempt, or at once
 *   for an event that is not in the catalog (retrying cannot fix it).
 * - 500: the handler failed with attempts left. Pub/Sub redelivers after its retry policy's backoff.
 * - 422: not an event, and nothing in it says which organization it belongs to, so it cannot be
 *   filed. Pub/Sub has no status for "never retry": a 4xx is redelivered like a 5xx until
 *   maxDeliveryAttempts, then forwarded to the handler's dead-letter topic. A delivery from that
 *   topic (a push subscription on it to this same endpoint) is filed as a dead letter and acked.
 * - 401: the token was refused. Nothing is processed; Pub/Sub retries, so fixing the configuration
 *   loses no message.
 * - 400: the body is not a push envelope (wrong sender, or a subscription without the wrapper).
 */
export async function handlePush(
  handler: EventHandler,
  request: PushRequest,
  options: PushHandlingOptions,
): Promise<PushResponse> {
  const { logger, db } = options;
  try {
    await options.verifier.verify(request.authorization);
  } catch (error) {
    logger?.warn({ handler: handler.name, err: error }, "push request refused");
    return { status: 401, outcome: "unauthenticated" };
  }
  let message: PushMessage;
  try {
    message = decodePushEnvelope(request.body);
  } catch (error) {
    logger?.warn({ handler: handler.name, err: error }, "push request is not a Pub/Sub envelope");
    return { status: 400, outcome: "malformed" };
  }
  const forwarded = "CloudPubSubDeadLetterSourceDeliveryCount" in message.delivery.attributes;
  const { onDeadLetter } = options;
  const result = forwarded
    ? await fileForwardedDeadLetter(handler.name, message.delivery, { db, logger, onDeadLetter })
    : await deliverToHandler(handler, message.delivery, {
        db,
        policy: { ...DEFAULT_RETRY_POLICY, ...handler.retry, ...options.policy },
        logger,
        onDeadLetter,
      });
  return { status: STATUS[result.outcome], outcome: result.outcome };
}

const STATUS: Record<DeliveryResult["outcome"], number> = {
  handled: 204,
  skipped: 204,
  "dead-lettered": 204,
  dropped: 204,
  retry: 500,
  rejected: 422,
};
