import type { Database } from "@devflow/db";
import { applyOnce, type EventHandler } from "@devflow/events";

const HANDLER = "webhook-deliveries";

/**
 * Processes stored webhook deliveries, once each, after ingress has answered the provider. Today
 * it completes the delivery's record; what each event type changes (repositories, pull requests,
 * deployments, incidents) is applied here, inside the same transaction, as those land.
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
