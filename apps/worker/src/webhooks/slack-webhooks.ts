import { SlashCommandSchema, slashCommandAcknowledgement, type WebhookIngress } from "@devflow/domain-integrations";
import type { ServiceApp } from "@devflow/observability/service";
import { AppError } from "@devflow/util-core";
import { z } from "zod";
import { limitPerIntegration } from "./webhook-rate-limit";
import { verifySlackSignature } from "./slack-signature";

/** Slack event types something here handles; others are stored as ignored. */
const KNOWN_EVENTS: ReadonlySet<string> = new Set(["app_mention", "message", "link_shared"]);

const QuerySchema = z.object({ integration: z.string().max(100) });
const EnvelopeSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("url_verification"), challenge: z.string().max(200) }),
  z.object({
    type: z.literal("event_callback"),
    event_id: z.string().min(1).max(100),
    event: z.object({ type: z.string().regex(/^[a-z_.]{1,100}$/) }).loose(),
  }),
]);

export interface SlackWebhookOptions {
  ingress: WebhookIngress;
  bodyLimit: number;
  /** Deliveries one integration's address accepts per minute (per process). */
  ratePerMinute: number;
}

/**
 * `POST /webhooks/slack?integration=<id>`, the Request URL of a Slack app's Event Subscriptions:
 * verify first (X-Slack-Signature over the raw body, timestamp within five minutes, against the
 * integration's signing secret), answer Slack's url_verification challenge, and store each event
 * once by its event_id (Slack retries with the same one), answering 202 within Slack's three
 * seconds. The same URL takes slash commands (form-encoded): stored once by their trigger_id and
 * acknowledged at once; the answer follows through their response_url when the worker has it.
 * Interactivity payloads are not handled yet: 415.
 */
export function registerSlackWebhooks(app: ServiceApp, { ingress, bodyLimit, ratePerMinute }: SlackWebhookOptions) {
  void app.register(async (scope) => {
    await limitPerIntegration(scope, { perMinute: ratePerMinute });
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit }, (_request, body, done) => done(null, body));

    scope.post("/webhooks/slack", async (request, reply) => {
      const query = QuerySchema.safeParse(request.query);
      if (!query.success) {
        throw new AppError("validation_failed", "Add ?integration=<id> from the integration's settings", {
          report: false,
        });
      }
      const target = await ingress.findTarget(query.data.integration, "slack");
      if (!target) throw new AppError("not_found", "No Slack integration has this request URL", { report: false });

      const body = Buffer.isBuffer(request.body) ? request.body.toString("utf8") : "";
      const header = (name: string) => {
        const value = request.headers[name];
        return typeof value === "string" ? value : undefined;
      };
      const verdict = verifySlackSignature(
        target.secret,
        body,
        header("x-slack-request-timestamp"),
        header("x-slack-signature"),
      );
      if (verdict !== "ok") {
        throw new AppError(
          "invalid_signature",
          verdict === "stale"
            ? "X-Slack-Request-Timestamp is more than five minutes from now; the request may be a replay"
            : "X-Slack-Signature does not match this integration's signing secret",
          { report: false },
        );
      }
      const contentType = header("content-type") ?? "";
      if (/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
        const fields = Object.fromEntries(new URLSearchParams(body));
        if ("payload" in fields) {
          throw new AppError("unsupported_media_type", "Slack interactivity is not handled here yet", {
            report: false,
          });
        }
        const command = SlashCommandSchema.safeParse(fields);
        if (!command.success) {
          throw new AppError("validation_failed", `Not a Slack slash command: ${z.prettifyError(command.error)}`, {
            report: false,
          });
        }
        // Stored as its fields in JSON (the signature was checked over the form body above).
        await ingress.storeDelivery(target, {
          deliveryId: `command:${command.data.trigger_id}`,
          event: "slash_command",
          body: JSON.stringify(command.data),
          known: true,
        });
        return reply.code(200).send(slashCommandAcknowledgement(command.data));
      }
      if (!/^application\/json\b/i.test(contentType)) {
        throw new AppError("unsupported_media_type", "Send Events API requests as JSON, slash commands as a form", {
          report: false,
        });
      }
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        throw new AppError("validation_failed", "The request body is not valid JSON", { report: false });
      }
      const envelope = EnvelopeSchema.safeParse(json);
      if (!envelope.success) {
        throw new AppError("validation_failed", `Not a Slack Events API request: ${z.prettifyError(envelope.error)}`, {
          report: false,
        });
      }
      if (envelope.data.type === "url_verification") return { challenge: envelope.data.challenge };

      const event = envelope.data.event.type;
      const stored = await ingress.storeDelivery(target, {
        deliveryId: envelope.data.event_id,
        event,
        body,
        known: KNOWN_EVENTS.has(event),
      });
      return reply.code(202).send({ id: stored.id, duplicate: stored.duplicate, ignored: !KNOWN_EVENTS.has(event) });
    });
  });
}
