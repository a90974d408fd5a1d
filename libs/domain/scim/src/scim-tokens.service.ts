import type { RequestContext } from "@devflow/auth";
import { can } from "@devflow/auth";
import {
  type CreateScimTokenInput,
  type CreatedScimTokenDto,
  SCIM_TOKENS_PER_ORGANIZATION_MAX,
  type ScimTokenDto,
} from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { recordAudit } from "@devflow/domain-audit";
import { AppError, forbidden, notFound } from "@devflow/util-core";
import * as repo from "./scim-tokens.repository";
import type { ScimTokenRow } from "./scim-tokens.repository";
import { generateScimToken, parseScimToken } from "./scim-token";

export type ScimTokensService = ReturnType<typeof createScimTokensService>;

/** `last_used_at` is for people ("used 3 minutes ago"); one write a minute per token is plenty. */
const LAST_USED_RESOLUTION_MS = 60 * 1000;

export interface ScimTokensServiceOptions {
  /** The clock, for tests of last use. */
  now?: () => Date;
}

/** Who a SCIM request acts for: the organization its token belongs to, and the token itself. */
export interface ScimPrincipal {
  organizationId: string;
  tokenId: string;
}

/**
 * The bearer tokens an organization's identity provider provisions with. Admins create, list and
 * revoke them from a signed-in session; the token itself is shown once and only its hash is kept.
 * Nothing is cached: a revoked token fails on its very next request.
 */
export function createScimTokensService(db: Database, { now = () => new Date() }: ScimTokensServiceOptions = {}) {
  return {
    async create(ctx: RequestContext, input: CreateScimTokenInput): Promise<CreatedScimTokenDto> {
      assertManagesScim(ctx);
      return db.withTenant(ctx, async (tx) => {
        if (!(await repo.lockOrganization(tx, ctx.organizationId))) {
          throw notFound("Organization", ctx.organizationId);
        }
        if ((await repo.countActiveTokens(tx)) >= SCIM_TOKENS_PER_ORGANIZATION_MAX) {
          throw new AppError(
            "conflict",
            `This organization already has ${SCIM_TOKENS_PER_ORGANIZATION_MAX} active SCIM tokens; revoke one first`,
            { report: false },
          );
        }
        const { token, hash, prefix } = generateScimToken(ctx.organizationId);
        const row = await repo.insertToken(tx, {
          organizationId: ctx.organizationId,
          name: input.name,
          tokenHash: hash,
          prefix,
          createdById: ctx.actor.userId,
          createdAt: now(),
        });
        await recordAudit(tx, ctx.organizationId, {
          action: "scim.token_created",
          actor: { type: "user", userId: ctx.actor.userId },
          target: { type: "scim_token", id: row.id },
          metadata: { name: row.name, prefix: row.prefix },
          ipAddress: ctx.ipAddress ?? null,
        });
        return { ...toScimTokenDto(row), token };
      });
    },

    /** The organization's SCIM tokens that are not revoked, newest first (never more than the limit). */
    async list(ctx: RequestContext): Promise<ScimTokenDto[]> {
      assertManagesScim(ctx);
      const rows = await db.withTenant(ctx, (tx) => repo.listActiveTokens(tx));
      return rows.map(toScimTokenDto);
    },

    /** Revokes a token; revoking a revoked one changes nothing. */
    async revoke(ctx: RequestContext, tokenId: string): Promise<void> {
      assertManagesScim(ctx);
      await db.withTenant(ctx, async (tx) => {
        const row = await repo.findToken(tx, tokenId);
        if (!row) throw notFound("SCIM token", tokenId);
        if (row.revokedAt) return;
        await repo.markRevoked(tx, row.id, now());
        await recordAudit(tx, ctx.organizationId, {
          action: "scim.token_revoked",
          actor: { type: "user", userId: ctx.actor.userId },
          target: { type: "scim_token", id: row.id },
          metadata: { name: row.name, prefix: row.prefix },
          ipAddress: ctx.ipAddress ?? null,
        });
      });
    },

    /**
     * The organization and token a bearer token stands for, or null when it is malformed, unknown,
     * revoked, or its organization is deleted.
     */
    async authenticate(rawToken: string): Promise<ScimPrincipal | null> {
      const parsed = parseScimToken(rawToken);
      if (!parsed) return null;
      const { organizationId } = parsed;
      const at = now();
      return db.withTenant({ organizationId }, async (tx) => {
        const row = await repo.findTokenByHash(tx, parsed.hash);
        if (!row || row.revokedAt) return null;
        if (!(await repo.organizationIsLive(tx, organizationId))) return null;
        if (!row.lastUsedAt || at.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
          await repo.touchLastUsed(tx, row.id, at, new Date(at.getTime() - LAST_USED_RESOLUTION_MS));
        }
        return { organizationId, tokenId: row.id };
      });
    },
  };
}

/**
 * Admins and owners manage provisioning, from a signed-in session only: a token (API or SCIM) never
 * mints the credentials that create users.
 */
function assertManagesScim(ctx: RequestContext): void {
  const kind = ctx.actor.via?.kind;
  if (kind === "api_token" || kind === "scim") throw forbidden("SCIM tokens are managed from a signed-in session");
  if (!can(ctx.actor, "members:manage")) throw forbidden("Only admins and owners can manage SCIM provisioning");
}

function toScimTokenDto(row: ScimTokenRow): ScimTokenDto {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}
