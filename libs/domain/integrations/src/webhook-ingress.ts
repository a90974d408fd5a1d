import type { Database } from "@devflow/db";
import { recordEvent } from "@devflow/events";
import { openWebhookSecret } from "./webhook-secrets";

export type WebhookProvider = "github" | "slack";

/** Whose delivery this is and the secret its signature must match. */
export interface WebhookTarget {
  organizationId: string;
  integrationId: string;
  provider: WebhookProvider;
  secret: string;
}

export interface IncomingDelivery {
  /** The provider's delivery id (X-GitHub-Delivery): a redelivery carries the same one. */
  deliveryId: string;
  /** The provider's event name (X-GitHub-Event). */
  event: string;
  /** The verified body, exactly as received; valid JSON. */
  body: string;
  /** False for an event type nothing here handles: stored as "ignored", never processed. */
  known: boolean;
}

export interface WebhookIngressOptions {
  /** ENCRYPTION_KEY, which sealed the integrations' secrets; asked for on the first lookup. */
  encryptionKey: () => Promise<Uint8Array>;
  /** How long a looked-up integration (and its opened secret) is reused (default 30 s). */
  cacheTtlMs?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CACHE_MAX = 1_000;

export type WebhookIngress = ReturnType<typeof createWebhookIngress>;

/**
 * The storage half of webhook ingress: which organization a delivery is for, and storing it once.
 * The caller verifies the signature between the two, so nothing unverified is ever written.
 */
export function createWebhookIngress(db: Database, options: WebhookIngressOptions) {
  const ttl = options.cacheTtlMs ?? 30_000;
  const cache = new Map<string, { target: WebhookTarget | null; expires: number }>();

  return {
    /**
     * The integration a delivery names (in its URL), or null when there is none, it is disabled,
     * or it belongs to another provider. Unknown ids are cached too, so a flood of them costs one
     * lookup each per TTL at most.
     */
    async findTarget(integrationId: string, provider: WebhookProvider): Promise<WebhookTarget | null> {
      if (!UUID.test(integrationId)) return null;
      const key = `${provider}:${integrationId}`;
      const hit = cache.get(key);
      if (hit && hit.expires > Date.now()) return hit.target;
      const row = await db.withSystem("webhook ingress: a delivery names its integration, not its organization", (tx) =>
        tx.integration.findUnique({
          where: { id: integrationId },
          select: { organizationId: true, provider: true, enabled: true, encryptedSecret: true },
        }),
      );
      const target =
        row && row.enabled && row.provider === provider && row.encryptedSecret
          ? {
              organizationId: row.organizationId,
              integrationId,
              provider,
              secret: openWebhookSecret(await options.encryptionKey(), integrationId, row.encryptedSecret),
            }
          : null;
      if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
      cache.set(key, { target, expires: Date.now() + ttl });
      return target;
    },

    /**
     * Stores a verified delivery once per organization and delivery id, and — in the same
     * transaction — announces a known one for processing. A redelivery finds the first and changes
     * nothing.
     */
    async storeDelivery(
      target: WebhookTarget,
      delivery: IncomingDelivery,
    ): Promise<{ id: string; duplicate: boolean }> {
      return db.withTenant({ organizationId: target.organizationId }, async (tx) => {
        const inserted = await tx.$queryRawUnsafe<{ id: string }[]>(
          `INSERT INTO webhook_deliveries (organization_id, integration_id, provider, delivery_id, event, payload, status)
           VALUES ($1::uuid, $2::uuid, $3::integration_provider, $4, $5, $6::jsonb, $7::delivery_status)
           ON CONFLICT (organization_id, provider, delivery_id) DO NOTHING
           RETURNING id::text AS id`,
          target.organizationId,
          target.integrationId,
          target.provider,
          delivery.deliveryId,
          delivery.event,
          delivery.body,
          delivery.known ? "received" : "ignored",
        );
        const id = inserted[0]?.id;
        if (!id) {
          const first = await tx.webhookDelivery.findFirstOrThrow({
            where: { provider: target.provider, deliveryId: delivery.deliveryId },
            select: { id: true },
          });
          return { id: first.id, duplicate: true };
        }
        if (delivery.known) {
          await recordEvent(tx, {
            type: "webhook.received",
            organizationId: target.organizationId,
            data: {
              deliveryId: id,
              integrationId: target.integrationId,
              provider: target.provider,
              event: delivery.event,
            },
          });
        }
        return { id, duplicate: false };
      });
    },
  };
}
