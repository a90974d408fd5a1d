import type { Database } from "@devflow/db";
import { applyOnce, type EventHandler } from "@devflow/events";
import { applyGitHubEvent } from "./github/github-event-processor";

const HANDLER = "webhook-deliveries";

/**
 * Processes stored webhook deliveries, once each, after ingress has answered the provider. In one
 * transaction under applyOnce it loads the delivery, applies a GitHub event to the organization's
 * repositories, pull requests, deployments and incidents (applyGitHubEvent), and completes the
 * delivery's record; other providers' deliveries are only completed for now.
 * A failure is recorded on the delivery (visible to admins) and rethrown, so the bus retries it.
 */
export function createWebhookDeliveryHandler(db: Database): EventHandler<"webhook.received"> {
  return {
    name: HANDLER,
    type: "webhook.received",
    async handle(event) {
      const { deliveryId } = event.data;
      try {
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
