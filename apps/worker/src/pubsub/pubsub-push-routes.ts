import type { Database } from "@devflow/db";
import {
  handlePush,
  type DeadLetterHook,
  type EventHandler,
  type PubSubPushVerifier,
  type RetryPolicy,
} from "@devflow/events";
import type { Logger } from "@devflow/observability";
import type { ServiceApp } from "@devflow/observability/service";

export interface PubSubPushRoutesOptions {
  handlers: readonly EventHandler[];
  verifier: PubSubPushVerifier;
  db: Database;
  policy?: Partial<RetryPolicy>;
  logger?: Logger;
  /** Told of each dead letter once it is filed (failed-job notifications). */
  onDeadLetter?: DeadLetterHook;
  /** Largest push body accepted (a message is at most 10 MB; ours carry ids only). */
  bodyLimit?: number;
}

/**
 * `POST /pubsub/push/<handler>`: where Pub/Sub push subscriptions (Cloud Run) deliver each handler's
 * events, and its dead-letter topic's. The status is handlePush's: 2xx acks, anything else is
 * redelivered by Pub/Sub after its backoff; a request without a valid Google OIDC token for our
 * push service account is 401 and changes nothing. Outside /v1/: Pub/Sub carries no service token.
 */
export function registerPubSubPushRoutes(app: ServiceApp, options: PubSubPushRoutesOptions) {
  const byName = new Map(options.handlers.map((handler) => [handler.name, handler]));
  void app.register(async (scope) => {
    scope.post<{ Params: { handler: string } }>(
      "/pubsub/push/:handler",
      { bodyLimit: options.bodyLimit ?? 1_048_576 },
      async (request, reply) => {
        const handler = byName.get(request.params.handler);
        if (!handler) {
          // A subscription pointed at a handler this worker does not have: say so, and Pub/Sub keeps it.
          return reply.code(404).send({
            error: { code: "not_found", message: `No event handler is named ${request.params.handler.slice(0, 100)}` },
          });
        }
        const result = await handlePush(
          handler,
          { authorization: request.headers.authorization, body: request.body },
          {
            verifier: options.verifier,
            db: options.db,
            policy: options.policy,
            logger: options.logger,
            onDeadLetter: options.onDeadLetter,
          },
        );
        return reply.code(result.status).send();
      },
    );
  });
}
