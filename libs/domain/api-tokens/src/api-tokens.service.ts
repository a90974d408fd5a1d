import type { RequestContext, TokenScope } from "@devflow/auth";
import { can, generateApiToken, parseApiToken, scopesAllowedFor, TOKEN_SCOPES } from "@devflow/auth";
import {
  API_TOKENS_PER_USER_MAX,
  canonicalResourceUri,
  type ApiTokenDto,
  type CreateApiTokenInput,
  type CreatedApiTokenDto,
  type ListApiTokensQuery,
  type Page,
} from "@devflow/contracts";
import type { Database, Tx } from "@devflow/db";
import { recordAudit, type AuditActorType } from "@devflow/domain-audit";
import { AppError, encodeCursor, forbidden, notFound, readCursor } from "@devflow/util-core";
import * as repo from "./api-tokens.repository";
import type { ApiTokenRow } from "./api-tokens.repository";

export type ApiTokensService = ReturnType<typeof createApiTokensService>;

const DAY_MS = 24 * 60 * 60 * 1000;
/** `last_used_at` is for people ("used 3 minutes ago"), so one write a minute per token is plenty. */
const LAST_USED_RESOLUTION_MS = 60 * 1000;

export interface AuthenticateOptions {
  /**
   * The protected resource (RFC 8707) asking, e.g. the MCP server's own URL. A token an OAuth client
   * got for another resource then does not authenticate (the MCP spec's audience check). Personal
   * tokens are for no resource in particular and are unaffected. Omitted: no resource check.
   */
  resource?: string;
}

export interface ApiTokensServiceOptions {
  /** The clock, for tests of expiry and last use. */
  now?: () => Date;
}

/**
 * Personal API tokens. Every read and write runs in the token's organization (withTenant); the
 * organization is part of the token itself, so authenticating never searches other tenants.
 * Nothing is cached: a revoked token fails on its very next request.
 */
export function createApiTokensService(db: Database, { now = () => new Date() }: ApiTokensServiceOptions = {}) {
  return {
    async create(ctx: RequestContext, input: CreateApiTokenInput): Promise<CreatedApiTokenDto> {
      assertManagesOwnTokens(ctx);
      assertScopesWithinRole(ctx, input.scopes);
      const createdAt = now();
      const expiresAt =
        input.expiresInDays === null ? null : new Date(createdAt.getTime() + input.expiresInDays * DAY_MS);
      return db.withTenant(ctx, async (tx) => {
        const membership = await repo.lockMembership(tx, ctx.actor.userId);
        if (membership?.status !== "active") throw forbidden("Only active members can create API tokens");
        if ((await repo.countActiveTokens(tx, ctx.actor.userId, createdAt)) >= API_TOKENS_PER_USER_MAX) {
          throw new AppError(
            "conflict",
            `You already have ${API_TOKENS_PER_USER_MAX} active API tokens in this organization; revoke one first`,
            { report: false },
          );
        }
        const { token, hash, prefix } = generateApiToken(ctx.organizationId);
        const row = await repo.insertToken(tx, {
          organizationId: ctx.organizationId,
          userId: ctx.actor.userId,
          name: input.name,
          tokenHash: hash,
          prefix,
          scopes: [...input.scopes],
          expiresAt,
          createdAt,
        });
        await recordAudit(tx, ctx.organizationId, {
          action: "api_token.created",
          actor: auditActorOf(ctx),
          target: { type: "api_token", id: row.id },
          metadata: { name: row.name, scopes: row.scopes, expiresAt: row.expiresAt?.toISOString() ?? null },
          ipAddress: ctx.ipAddress ?? null,
        });
        return { ...toApiTokenDto(row), token };
      });
    },

    /** The caller's own tokens that are not revoked, newest first. */
    async list(ctx: RequestContext, query: ListApiTokensQuery): Promise<Page<ApiTokenDto>> {
      assertManagesOwnTokens(ctx);
      const [createdAt, id] = query.cursor ? readCursor(query.cursor, ["timestamp", "uuid"]) : [];
      const before = createdAt && id ? { createdAt: new Date(createdAt), id } : undefined;
      const rows = await db.withTenant(ctx, (tx) => repo.listTokensOf(tx, ctx.actor.userId, query.limit, before));
      const items = rows.slice(0, query.limit);
      const last = items.at(-1);
      return {
        items: items.map(toApiTokenDto),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
      };
    },

    /**
     * Revokes one of the caller's tokens, or — for admins — anyone's in the organization (only owners
     * may revoke an owner's). Revoking a revoked token changes nothing. Other people's tokens are
     * not_found to non-admins, so ids cannot be probed.
     */
    async revoke(ctx: RequestContext, tokenId: string): Promise<void> {
      assertManagesOwnTokens(ctx);
      await db.withTenant(ctx, async (tx) => {
        const row = await repo.findToken(tx, tokenId);
        if (!row) throw notFound("API token", tokenId);
        const isOwn = row.userId === ctx.actor.userId;
        if (!isOwn) {
          if (!can(ctx.actor, "members:manage")) throw notFound("API token", tokenId);
          const holder = await repo.findMembershipRole(tx, row.userId);
          if (holder && !can(ctx.actor, "members:manage", { kind: "member", role: holder.role })) {
            throw forbidden("Only owners can revoke an owner's API tokens");
          }
        }
        if (row.revokedAt) return;
        await repo.markRevoked(tx, row.id, now());
        await recordAudit(tx, ctx.organizationId, {
          action: "api_token.revoked",
          actor: auditActorOf(ctx),
          target: { type: "api_token", id: row.id },
          metadata: { name: row.name, holderUserId: row.userId },
          ipAddress: ctx.ipAddress ?? null,
        });
      });
    },

    /**
     * The request context a bearer token stands for, or null when the token is malformed, unknown,
     * revoked or expired, or its holder is no longer an active member. The actor gets the member's
     * role as it is now, narrowed by the token's scopes. A token issued to an OAuth client also fails
     * once its grant is revoked, and when `options.resource` is not the resource it was issued for.
     */
    async authenticate(
      rawToken: string,
      requestId: string,
      options: AuthenticateOptions = {},
    ): Promise<RequestContext | null> {
      const parsed = parseApiToken(rawToken);
      if (!parsed) return null;
      const { organizationId } = parsed;
      const at = now();
      return db.withTenant({ organizationId }, async (tx) => {
        const row = await repo.findTokenByHash(tx, parsed.hash);
        if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= at)) return null;
        if (row.oauthGrantId && !(await isGrantValidFor(tx, row.oauthGrantId, options.resource))) return null;
        const membership = await repo.findActiveMembership(tx, row.userId);
        if (!membership) return null;
        if (!row.lastUsedAt || at.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
          await repo.touchLastUsed(tx, row.id, at, new Date(at.getTime() - LAST_USED_RESOLUTION_MS));
        }
        const allowed = scopesAllowedFor(membership.role);
        const scopes = toScopes(row.scopes).filter((s) => allowed.includes(s));
        return {
          organizationId,
          requestId,
          actor: { userId: row.userId, role: membership.role, via: { kind: "api_token", tokenId: row.id, scopes } },
        };
      });
    },
  };
}

/** Whether an OAuth access token's grant stands and, when a resource asks, was issued for that resource. */
async function isGrantValidFor(tx: Tx, grantId: string, resource: string | undefined): Promise<boolean> {
  const grant = await repo.findOAuthGrant(tx, grantId);
  if (!grant || grant.revokedAt) return false;
  if (resource === undefined) return true;
  const asking = canonicalResourceUri(resource);
  return asking !== null && grant.resource !== null && canonicalResourceUri(grant.resource) === asking;
}

/** Tokens are managed from a signed-in session: a token can neither mint nor revoke tokens. */
function assertManagesOwnTokens(ctx: RequestContext): void {
  if (!can(ctx.actor, "api_token:manage_own")) throw forbidden("API tokens are managed from a signed-in session");
}

function assertScopesWithinRole(ctx: RequestContext, scopes: readonly TokenScope[]): void {
  const allowed = scopesAllowedFor(ctx.actor.role);
  const excess = scopes.filter((s) => !allowed.includes(s));
  if (excess.length > 0) {
    throw new AppError(
      "forbidden",
      `A ${ctx.actor.role} can create tokens with ${allowed.join(", ")} scopes only, not ${excess.join(", ")}`,
      { report: false, details: { allowed } },
    );
  }
}

function auditActorOf(ctx: RequestContext): { type: AuditActorType; userId: string } {
  const kind = ctx.actor.via?.kind;
  const type: AuditActorType = kind === "api_token" ? "api_token" : kind === "scim" ? "scim" : "user";
  return { type, userId: ctx.actor.userId };
}

/** The stored scopes the code still knows; a scope retired later grants nothing. */
function toScopes(stored: readonly string[]): TokenScope[] {
  return TOKEN_SCOPES.filter((scope) => stored.includes(scope));
}

function toApiTokenDto(row: ApiTokenRow): ApiTokenDto {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: toScopes(row.scopes),
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}
