import { timingSafeEqual } from "node:crypto";
import { parseApiToken } from "@devflow/auth";
import type { OAuthErrorCode, OAuthRevocationRequest, OAuthScope, OAuthTokenResponse } from "@devflow/contracts";
import type { Database, Tx } from "@devflow/db";
import { issueTokens, revokeGrant, type GrantRevocationReason } from "./grant-tokens";
import { OAuthError } from "./oauth-error";
import { parseAuthorizationCode, parseRefreshToken } from "./oauth-secrets";
import * as repo from "./oauth.repository";
import type { GrantRow } from "./oauth.repository";
import { verifyPkceS256 } from "./pkce";
import { canonicalResource } from "./resources";
import { currentScopes, parseScopeParam } from "./scopes";

export interface ExchangeCodeInput {
  clientId: string;
  code: string;
  redirectUri: string;
  codeVerifier: string;
  resource?: string;
}

export interface RefreshInput {
  clientId: string;
  refreshToken: string;
  scope?: string;
  resource?: string;
}

/*
 * A refusal is returned out of the tenant transaction rather than thrown inside it: some refusals
 * (a code or refresh token used twice) revoke the grant first, and that revocation must commit.
 */
type Outcome = { ok: true; tokens: OAuthTokenResponse } | { ok: false; error: OAuthErrorCode; description: string };
const refusal = (error: OAuthErrorCode, description: string): Outcome => ({ ok: false, error, description });

/** The token endpoint (RFC 6749 §4.1.3, §6) and the revocation endpoint (RFC 7009). */
export function createTokenService(db: Database, now: () => Date) {
  /** Revokes everything issued under the grant because one of its one-time secrets came back. */
  const revokeForReplay = (tx: Tx, organizationId: string, grant: GrantRow, reason: GrantRevocationReason, at: Date) =>
    revokeGrant(tx, { organizationId, grant, at, reason, actor: { type: "system" } });

  return {
    /**
     * Redeems an authorization code for a token pair. The code must be the client's, unexpired,
     * unused, sent with the same redirect_uri and a code_verifier matching its S256 challenge; a
     * second use revokes every token the grant produced (RFC 6749 §4.1.2).
     */
    async exchangeCode(input: ExchangeCodeInput): Promise<OAuthTokenResponse> {
      const parsed = parseAuthorizationCode(input.code);
      if (!parsed) throw new OAuthError("invalid_grant", "The authorization code is not valid");
      const { organizationId } = parsed;
      const at = now();
      const outcome = await db.withTenant({ organizationId }, async (tx): Promise<Outcome> => {
        const code = await repo.findCodeByHash(tx, parsed.hash);
        if (!code) return refusal("invalid_grant", "The authorization code is not valid");
        const grant = await repo.lockGrant(tx, code.grantId);
        if (!grant || grant.revokedAt) return refusal("invalid_grant", "This authorization has been revoked");
        if (grant.clientId !== input.clientId) return refusal("invalid_grant", "The code was issued to another client");
        const replayed = async () => {
          await revokeForReplay(tx, organizationId, grant, "authorization_code_reused", at);
          return refusal("invalid_grant", "The authorization code was already used; its tokens have been revoked");
        };
        if (code.usedAt) return replayed();
        // Checked before the code is spent, so a request that fails them cannot burn a code the real
        // client is about to redeem (and get its grant revoked as a replay).
        if (code.expiresAt <= at) return refusal("invalid_grant", "The authorization code has expired");
        if (code.redirectUri !== input.redirectUri) {
          return refusal("invalid_grant", "redirect_uri differs from the one in the authorization request");
        }
        if (!verifyPkceS256(input.codeVerifier, code.codeChallenge)) {
          return refusal("invalid_grant", "code_verifier does not match the code_challenge");
        }
        if (input.resource !== undefined && canonicalResource(input.resource) !== code.resource) {
          return refusal("invalid_target", "The resource differs from the one the code was issued for");
        }
        // Conditional, so of two redemptions racing past the checks above only one gets tokens.
        if (!(await repo.markCodeUsed(tx, code.id, at))) return replayed();
        return issueFor(tx, organizationId, grant, code.scopes, at);
      });
      return unwrap(outcome);
    },

    /**
     * Trades the grant's current refresh token for a new pair (rotation). Presenting any earlier
     * refresh token of the grant means it was copied: the grant and all its tokens are revoked.
     * `scope` may narrow what the new access token gets, never widen it (RFC 6749 §6).
     */
    async refresh(input: RefreshInput): Promise<OAuthTokenResponse> {
      const parsed = parseRefreshToken(input.refreshToken);
      if (!parsed) throw new OAuthError("invalid_grant", "The refresh token is not valid");
      const { organizationId } = parsed;
      const at = now();
      const outcome = await db.withTenant({ organizationId }, async (tx): Promise<Outcome> => {
        const grant = await repo.lockGrant(tx, parsed.grantId);
        if (!grant || grant.clientId !== input.clientId)
          return refusal("invalid_grant", "The refresh token is not valid");
        if (grant.revokedAt) return refusal("invalid_grant", "This authorization has been revoked");
        if (!grant.refreshTokenHash || !sameHash(grant.refreshTokenHash, parsed.hash)) {
          await revokeForReplay(tx, organizationId, grant, "refresh_token_reused", at);
          return refusal("invalid_grant", "The refresh token was already used; the authorization has been revoked");
        }
        if (!grant.refreshExpiresAt || grant.refreshExpiresAt <= at) {
          return refusal("invalid_grant", "The refresh token has expired; authorize again");
        }
        const asked = parseScopeParam(input.scope);
        if (input.scope !== undefined && (!asked.ok || asked.scopes.some((s) => !grant.scopes.includes(s)))) {
          return refusal("invalid_scope", "A refresh may only ask for scopes the authorization granted");
        }
        if (input.resource !== undefined && canonicalResource(input.resource) !== grant.resource) {
          return refusal("invalid_target", "The resource differs from the one this authorization is for");
        }
        const scopes = input.scope !== undefined && asked.ok ? asked.scopes : grant.scopes;
        return issueFor(tx, organizationId, grant, scopes, at);
      });
      return unwrap(outcome);
    },

    /**
     * RFC 7009: a refresh token revokes its whole grant; an access token only itself. Tokens that are
     * unknown, already revoked or another client's are ignored, as §2.2 asks, so the answer never
     * says whether a token existed. Personal API tokens are never revoked here.
     */
    async revoke(input: OAuthRevocationRequest): Promise<void> {
      const at = now();
      const refresh = parseRefreshToken(input.token);
      if (refresh) {
        await db.withTenant({ organizationId: refresh.organizationId }, async (tx) => {
          const grant = await repo.lockGrant(tx, refresh.grantId);
          if (!grant?.refreshTokenHash || grant.clientId !== input.client_id) return;
          if (!sameHash(grant.refreshTokenHash, refresh.hash)) return;
          await revokeGrant(tx, {
            organizationId: refresh.organizationId,
            grant,
            at,
            reason: "revoked_by_client",
            actor: { type: "system" },
          });
        });
        return;
      }
      const access = parseApiToken(input.token);
      if (!access) return;
      await db.withTenant({ organizationId: access.organizationId }, async (tx) => {
        const row = await repo.findAccessTokenByHash(tx, access.hash);
        if (row && row.oauthClientId === input.client_id && !row.revokedAt) await repo.markTokenRevoked(tx, row.id, at);
      });
    },
  };
}

/**
 * The last checks before issuing, shared by both grants: the client still exists and the person is
 * still an active member, and the scopes are narrowed to what their role allows today.
 */
async function issueFor(
  tx: Tx,
  organizationId: string,
  grant: GrantRow,
  scopes: readonly string[],
  at: Date,
): Promise<Outcome> {
  const client = await repo.findClient(tx, grant.clientId);
  if (!client) return refusal("invalid_client", "This app is no longer registered");
  const membership = await repo.findActiveMembership(tx, grant.userId);
  if (!membership) return refusal("invalid_grant", "The person who authorized this app is no longer an active member");
  const granted: OAuthScope[] = currentScopes(scopes, membership.role);
  return { ok: true, tokens: await issueTokens(tx, { organizationId, grant, client, scopes: granted, at }) };
}

function unwrap(outcome: Outcome): OAuthTokenResponse {
  if (!outcome.ok) throw new OAuthError(outcome.error, outcome.description);
  return outcome.tokens;
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
