import { randomUUID } from "node:crypto";
import { EVENT_CATALOG } from "@devflow/contracts";
import type { Database } from "@devflow/db";
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
     * Stores a verified delivery once per organization and delivery id and — in the same
     * transaction — announces a known one for processing. A redelivery finds the first and changes
     * nothing. One statement (store_webhook_delivery), so acceptance costs one round trip. It goes
     * straight to the pool (callTenantFunctionDirect): through Prisma's client the same call
     * doubled the worker's CPU per delivery (bench:webhooks, 0.85 ms against 0.40 ms).
     */
    async storeDelivery(
      target: WebhookTarget,
      delivery: IncomingDelivery,
    ): Promise<{ id: string; duplicate: boolean }> {
      const id = randomUUID();
      const event = delivery.known
        ? EVENT_CATALOG["webhook.received"].data.parse({
            deliveryId: id,
            integrationId: target.integrationId,
            provider: target.provider,
            event: delivery.event,
          })
        : null;
      const [row] = await db.callTenantFunctionDirect<{ id: string; duplicate: boolean }>(
        { organizationId: target.organizationId },
        "store_webhook_delivery",
        [
          id,
          target.integrationId,
          target.provider,
          delivery.deliveryId,
          delivery.event,
          delivery.body,
          EVENT_CATALOG["webhook.received"].version,
          event && JSON.stringify(event),
        ],
      );
      if (!row) throw new Error("store_webhook_delivery returned no row");
      return { id: row.id, duplicate: row.duplicate };
    },
  };
}
