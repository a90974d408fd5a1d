import { emitterEventNames } from "@octokit/webhooks";
import { verify } from "@octokit/webhooks-methods";
import type { WebhookIngress } from "@devflow/domain-integrations";
import type { ServiceApp } from "@devflow/observability/service";
import { AppError } from "@devflow/util-core";
import { z } from "zod";
import { limitPerIntegration } from "./webhook-rate-limit";

/** Event names GitHub sends in X-GitHub-Event that @octokit/webhooks knows (without ".action"). */
const KNOWN_EVENTS: ReadonlySet<string> = new Set(emitterEventNames.filter((name) => !name.includes(".")));

const HeadersSchema = z.object({
  "x-github-event": z.string().regex(/^[a-z_]{1,100}$/, "must be a GitHub event name"),
  "x-github-delivery": z.string().min(1).max(100),
});
const QuerySchema = z.object({ integration: z.string().max(100) });

export interface GithubWebhookOptions {
  ingress: WebhookIngress;
  /** Largest body accepted, in bytes. */
  bodyLimit: number;
  /** Deliveries one integration's address accepts per minute (per process). */
  ratePerMinute: number;
}

/**
 * `POST /webhooks/github?integration=<id>`: verify first (X-Hub-Signature-256 against that
 * integration's secret, over the exact bytes received), store the delivery once by its
 * X-GitHub-Delivery id, answer 202, and leave the processing to the event bus. A bad or missing
 * signature is 401 and stores nothing; an event type nothing here handles is stored as ignored;
 * a body over the limit is 413 before it is read to the end.
 */
export function registerGithubWebhooks(app: ServiceApp, { ingress, bodyLimit, ratePerMinute }: GithubWebhookOptions) {
  void app.register(async (scope) => {
    await limitPerIntegration(scope, { perMinute: ratePerMinute });
    // The signature covers the raw bytes: keep them, parse only after verifying.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit }, (_request, body, done) => done(null, body));

    scope.post("/webhooks/github", async (request, reply) => {
      const contentType = request.headers["content-type"] ?? "";
      if (!/^application\/json\b/i.test(contentType)) {
        throw new AppError(
          "unsupported_media_type",
          'Webhook bodies must be JSON: set the webhook\'s content type to "application/json"',
          { report: false },
        );
      }
      const { integration } = parseOr400(
        QuerySchema,
        request.query,
        "Add ?integration=<id> from the integration's settings",
      );
      const target = await ingress.findTarget(integration, "github");
      if (!target) throw new AppError("not_found", "No GitHub integration has this webhook address", { report: false });

      const signature = request.headers["x-hub-signature-256"];
      const body = Buffer.isBuffer(request.body) ? request.body.toString("utf8") : "";
      if (typeof signature !== "string" || !(await verifySignature(target.secret, body, signature))) {
        throw new AppError("invalid_signature", "The X-Hub-Signature-256 header does not match this webhook's secret", {
          report: false,
        });
      }
      const headers = parseOr400(HeadersSchema, request.headers, "Not a GitHub webhook delivery");
      try {
        JSON.parse(body);
      } catch {
        throw new AppError("validation_failed", "The webhook body is not valid JSON", { report: false });
      }
      const event = headers["x-github-event"];
      const stored = await ingress.storeDelivery(target, {
        deliveryId: headers["x-github-delivery"],
        event,
        body,
        known: KNOWN_EVENTS.has(event),
      });
      return reply.code(202).send({ id: stored.id, duplicate: stored.duplicate, ignored: !KNOWN_EVENTS.has(event) });
    });
  });
}

async function verifySignature(secret: string, body: string, signature: string): Promise<boolean> {
  try {
    return await verify(secret, body, signature);
  } catch {
    return false; // malformed header
  }
}

function parseOr400<S extends z.ZodType>(schema: S, value: unknown, message: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppError("validation_failed", `${message}: ${z.prettifyError(parsed.error)}`, { report: false });
  }
  return parsed.data;
}
