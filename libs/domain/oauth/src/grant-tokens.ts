import { generateApiToken } from "@devflow/auth";
import {
  OAUTH_ACCESS_TOKEN_TTL_SECONDS,
  OAUTH_REFRESH_TOKEN_TTL_SECONDS,
  type OAuthScope,
  type OAuthTokenResponse,
} from "@devflow/contracts";
import type { Tx } from "@devflow/db";
import { recordAudit, type AuditActorType } from "@devflow/domain-audit";
import { generateRefreshToken } from "./oauth-secrets";
import * as repo from "./oauth.repository";
import type { ClientRow, GrantRow } from "./oauth.repository";

/*
 * The two things every path through the token endpoint ends in, inside its tenant transaction:
 * issuing a token pair for a grant, or revoking a grant with everything issued under it.
 */

/** Live access tokens one grant may hold at once; issuing another revokes the oldest. */
const ACCESS_TOKENS_PER_GRANT_MAX = 5;

export interface IssueTokensInput {
  organizationId: string;
  grant: GrantRow;
  client: ClientRow;
  scopes: readonly OAuthScope[];
  at: Date;
}

/**
 * A new access token (an api_tokens row: `dfp_…`, one hour, the granted scopes, tied to the client
 * and the grant, named after the client) and a new refresh token, which replaces the grant's
 * previous one (rotation, OAuth 2.1 §4.3.1) and pushes its expiry 30 days out.
 */
export async function issueTokens(tx: Tx, input: IssueTokensInput): Promise<OAuthTokenResponse> {
  const { organizationId, grant, client, scopes, at } = input;
  const access = generateApiToken(organizationId);
  await repo.insertAccessToken(tx, {
    organizationId,
    userId: grant.userId,
    name: client.name,
    tokenHash: access.hash,
    prefix: access.prefix,
    scopes: [...scopes],
    expiresAt: new Date(at.getTime() + OAUTH_ACCESS_TOKEN_TTL_SECONDS * 1000),
    createdAt: at,
    oauthClientId: client.id,
    oauthGrantId: grant.id,
  });
  await repo.revokeOldTokensOfGrant(tx, grant.id, at, ACCESS_TOKENS_PER_GRANT_MAX);
  const refresh = generateRefreshToken(organizationId, grant.id);
  await repo.setRefreshToken(
    tx,
    grant.id,
    refresh.hash,
    new Date(at.getTime() + OAUTH_REFRESH_TOKEN_TTL_SECONDS * 1000),
  );
  await repo.touchClient(tx, client.id, at);
  return {
    access_token: access.token,
    token_type: "Bearer",
    expires_in: OAUTH_ACCESS_TOKEN_TTL_SECONDS,
    refresh_token: refresh.value,
    scope: scopes.join(" "),
  };
}

/** Why a grant ended, for the audit log. */
export type GrantRevocationReason =
  "revoked_by_user" | "revoked_by_client" | "authorization_code_reused" | "refresh_token_reused";

export interface RevokeGrantInput {
  organizationId: string;
  grant: Pick<GrantRow, "id" | "clientId" | "userId">;
  at: Date;
  reason: GrantRevocationReason;
  actor: { type: AuditActorType; userId?: string | null };
  ipAddress?: string | null;
}

/**
 * Revokes the grant, its refresh token and every access token issued under it, and records why.
 * Revoking a revoked grant changes nothing and records nothing.
 */
export async function revokeGrant(tx: Tx, input: RevokeGrantInput): Promise<void> {
  const { organizationId, grant, at } = input;
  if (!(await repo.markGrantRevoked(tx, grant.id, at))) return;
  const { count } = await repo.revokeTokensOfGrant(tx, grant.id, at);
  await recordAudit(tx, organizationId, {
    action: "oauth.grant_revoked",
    actor: input.actor,
    target: { type: "oauth_grant", id: grant.id },
    metadata: {
      clientId: grant.clientId,
      holderUserId: grant.userId,
      reason: input.reason,
      accessTokensRevoked: count,
    },
    ipAddress: input.ipAddress ?? null,
  });
}
