import { can, type RequestContext } from "@devflow/auth";
import { OAUTH_SCOPES, type ConnectedAppDto } from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { forbidden, notFound } from "@devflow/util-core";
import { revokeGrant } from "./grant-tokens";
import * as repo from "./oauth.repository";
import { redirectHostOf } from "./redirect-uris";

/** More live grants than anyone has apps; the list is not paged. */
const CONNECTED_APPS_LIST_MAX = 200;

/** The apps a person has authorized in an organization, for settings: list and revoke. */
export function createConnectedAppsService(db: Database, now: () => Date) {
  return {
    /** The caller's live grants in `ctx`'s organization (not revoked, refresh token not expired), newest first. */
    async list(ctx: RequestContext): Promise<ConnectedAppDto[]> {
      assertSession(ctx);
      return db.withTenant(ctx, async (tx) => {
        const grants = await repo.listLiveGrantsOf(tx, ctx.actor.userId, now(), CONNECTED_APPS_LIST_MAX);
        const clients = new Map(
          (await repo.findClients(tx, [...new Set(grants.map((g) => g.clientId))])).map((c) => [c.id, c]),
        );
        const lastUse = await repo.lastUseOfGrants(
          tx,
          grants.map((g) => g.id),
        );
        return grants.map((grant): ConnectedAppDto => {
          const client = clients.get(grant.clientId);
          return {
            id: grant.id,
            clientId: grant.clientId,
            clientName: client?.name ?? "Unregistered app",
            clientUri: client?.clientUri ?? null,
            redirectHosts: [...new Set((client?.redirectUris ?? []).map(redirectHostOf))],
            scopes: OAUTH_SCOPES.filter((s) => grant.scopes.includes(s)),
            resource: grant.resource,
            createdAt: grant.createdAt.toISOString(),
            lastUsedAt: lastUse.get(grant.id)?.toISOString() ?? null,
          };
        });
      });
    },

    /**
     * Revokes one of the caller's grants with its refresh token and access tokens, at once; the app
     * must be authorized again to come back. Another person's grant is not_found, so ids cannot be
     * probed. Revoking a revoked grant changes nothing.
     */
    async revoke(ctx: RequestContext, grantId: string): Promise<void> {
      assertSession(ctx);
      await db.withTenant(ctx, async (tx) => {
        const grant = await repo.findGrant(tx, grantId);
        if (!grant || grant.userId !== ctx.actor.userId) throw notFound("Connected app", grantId);
        await revokeGrant(tx, {
          organizationId: ctx.organizationId,
          grant,
          at: now(),
          reason: "revoked_by_user",
          actor: { type: "user", userId: ctx.actor.userId },
          ipAddress: ctx.ipAddress ?? null,
        });
      });
    },
  };
}

/** Like API tokens, connected apps are managed from a signed-in session, never with a token. */
function assertSession(ctx: RequestContext): void {
  if (!can(ctx.actor, "api_token:manage_own")) throw forbidden("Connected apps are managed from a signed-in session");
}
