import type { Database } from "@devflow/db";
import { applyOnce, type EventHandler } from "@devflow/events";
import { applyGitHubEvent } from "./github/github-event-processor";
import { runSlashCommand, SlashCommandSchema, type SlashCommandDeps } from "./slack/slash-command";

const HANDLER = "webhook-deliveries";

/**
 * Processes stored webhook deliveries, once each, after ingress has answered the provider. In one
 * transaction under applyOnce it loads the delivery, applies a GitHub event to the organization's
 * repositories, pull requests, deployments and incidents (applyGitHubEvent), and completes the
 * delivery's record; other providers' deliveries are only completed for now.
 * A failure is recorded on the delivery (visible to admins) and rethrown, so the bus retries it.
 */
export interface WebhookDeliveryHandlerOptions {
  /** Answers Slack slash commands (`/devflow ask …`); without it they are only recorded. */
  slashCommands?: SlashCommandDeps;
}

export function createWebhookDeliveryHandler(
  db: Database,
  options: WebhookDeliveryHandlerOptions = {},
): EventHandler<"webhook.received"> {
  return {
    name: HANDLER,
    type: "webhook.received",
    async handle(event) {
      const { deliveryId } = event.data;
      try {
        if (event.data.provider === "slack" && event.data.event === "slash_command" && options.slashCommands) {
          await answerSlashCommand(db, options.slashCommands, event.organizationId, deliveryId);
        }
        await applyOnce(db, HANDLER, event, async (tx) => {
          const delivery = await tx.webhookDelivery.findUnique({
            where: { id: deliveryId },
            select: { provider: true, event: true, integrationId: true, payload: true },
          });
          if (!delivery) throw new Error(`Webhook delivery ${deliveryId} is not stored in this organization`);
          if (delivery.provider === "github") {
            await applyGitHubEvent(tx, {
              organizationId: event.organizationId,
              integrationId: delivery.integrationId,
              event: delivery.event,
              payload: delivery.payload,
            });
          }
          await tx.webhookDelivery.update({
            where: { id: deliveryId },
            data: { status: "processed", processedAt: new Date(), attempts: { increment: 1 }, error: null },
          });
        });
      } catch (error) {
        await db.withTenant({ organizationId: event.organizationId }, (tx) =>
          tx.webhookDelivery.updateMany({
            where: { id: deliveryId },
            data: {
              status: "failed",
              attempts: { increment: 1 },
              error: (error instanceof Error ? error.message : String(error)).slice(0, 1_000),
            },
          }),
        );
        throw error;
      }
    },
  };
}

/**
 * A slash command is answered before its delivery is marked processed, outside any transaction: the
 * answer may take a language model many seconds, and no database connection waits for it. A worker
 * that dies between posting the answer and marking the delivery may post it twice (Slack shows
 * both); one already processed is never answered again.
 */
async function answerSlashCommand(db: Database, deps: SlashCommandDeps, organizationId: string, deliveryId: string) {
  const found = await db.withTenant({ organizationId }, async (tx) => {
    const delivery = await tx.webhookDelivery.findUnique({ where: { id: deliveryId }, select: { status: true, payload: true } });
    const organization = await tx.organization.findUnique({ where: { id: organizationId }, select: { slug: true } });
    return delivery && organization ? { delivery, slug: organization.slug } : null;
  });
  if (!found || found.delivery.status === "processed") return;
  const command = SlashCommandSchema.parse(found.delivery.payload);
  await runSlashCommand(deps, { organizationId, organizationSlug: found.slug }, command);
}
