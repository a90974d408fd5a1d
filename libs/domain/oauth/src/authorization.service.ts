import { can, type RequestContext } from "@devflow/auth";
import {
  OAUTH_AUTHORIZATION_CODE_TTL_SECONDS,
  type OAuthAuthorizationParams,
  type OAuthErrorCode,
  type OAuthScope,
} from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { recordAudit } from "@devflow/domain-audit";
import { forbidden } from "@devflow/util-core";
import { generateAuthorizationCode } from "./oauth-secrets";
import * as repo from "./oauth.repository";
import { isS256Challenge } from "./pkce";
import { matchesRegisteredRedirectUri, redirectHostOf } from "./redirect-uris";
import { canonicalResource } from "./resources";
import { grantedScopes, parseScopeParam } from "./scopes";

/** An authorization request that passed every check: what the consent screen shows and approves. */
export interface AuthorizationRequest {
  client: { id: string; name: string; clientUri: string | null };
  /** Where the answer goes: the redirect_uri sent, or the client's only registered one. */
  redirectUri: string;
  redirectHost: string;
  state: string | null;
  codeChallenge: string;
  /** The scopes the client asked for (all of DevFlow's when it named none). */
  requestedScopes: OAuthScope[];
  /** The protected resource the tokens will be for (RFC 8707), canonical. */
  resource: string;
}

/**
 * The verdict on an authorization request (RFC 6749 §4.1.2.1): when the client or its redirect URI
 * cannot be trusted the error is shown to the person and never sent anywhere ("show"); any other
 * problem goes back to the client's redirect URI ("redirect").
 */
export type AuthorizationCheck =
  | { ok: true; request: AuthorizationRequest }
  | { ok: false; kind: "show"; error: OAuthErrorCode; description: string }
  | {
      ok: false;
      kind: "redirect";
      redirectUri: string;
      state: string | null;
      error: OAuthErrorCode;
      description: string;
    };

export interface AuthorizationServiceOptions {
  /** The protected resources tokens may be issued for, canonical; the first is the default. */
  resources: readonly string[];
  now: () => Date;
}

export function createAuthorizationService(db: Database, { resources, now }: AuthorizationServiceOptions) {
  return {
    /** Checks an authorization request, in the order RFC 6749 §4.1.2.1 requires. Writes nothing. */
    async check(params: OAuthAuthorizationParams): Promise<AuthorizationCheck> {
      const show = (error: OAuthErrorCode, description: string) =>
        ({ ok: false, kind: "show", error, description }) as const;
      if (!params.client_id) return show("invalid_request", "The request names no client_id");
      const client = await db.withSystem("oauth: look up the client of an authorization request", (tx) =>
        repo.findClient(tx, params.client_id!),
      );
      if (!client) return show("invalid_client", "This app is not registered with DevFlow (unknown client_id)");
      const redirectUri = params.redirect_uri ?? (client.redirectUris.length === 1 ? client.redirectUris[0]! : null);
      if (!redirectUri) return show("invalid_request", "The request names no redirect_uri");
      if (!matchesRegisteredRedirectUri(redirectUri, client.redirectUris)) {
        return show("invalid_request", "The redirect_uri is not one this app registered");
      }

      const state = params.state ?? null;
      const refuse = (error: OAuthErrorCode, description: string) =>
        ({ ok: false, kind: "redirect", redirectUri, state, error, description }) as const;
      if (params.response_type !== "code") {
        return refuse("unsupported_response_type", 'Only response_type "code" is supported');
      }
      if (!params.code_challenge) return refuse("invalid_request", "PKCE is required: send code_challenge");
      if (params.code_challenge_method !== "S256") {
        return refuse("invalid_request", 'code_challenge_method must be "S256"');
      }
      if (!isS256Challenge(params.code_challenge)) {
        return refuse("invalid_request", "code_challenge must be 43 base64url characters (S256)");
      }
      const scopes = parseScopeParam(params.scope);
      if (!scopes.ok) return refuse("invalid_scope", `Unknown scope: ${scopes.unknown.join(", ").slice(0, 200)}`);
      const resource = params.resource === undefined ? resources[0]! : canonicalResource(params.resource);
      if (!resource || !resources.includes(resource)) {
        return refuse("invalid_target", "The resource is not a server DevFlow issues tokens for");
      }

      return {
        ok: true,
        request: {
          client: { id: client.id, name: client.name, clientUri: client.clientUri },
          redirectUri,
          redirectHost: redirectHostOf(redirectUri),
          state,
          codeChallenge: params.code_challenge,
          requestedScopes: scopes.scopes,
          resource,
        },
      };
    },

    /**
     * The signed-in person approves `request` in `ctx`'s organization with the scopes they ticked:
     * records the grant (scopes capped by their role, read always), writes `oauth.grant_created` to
     * the audit log and returns a one-time code (10 minutes) bound to the client, redirect URI, PKCE
     * challenge, scopes and resource. Only a browser session may grant: a token cannot mint tokens.
     */
    async approve(
      ctx: RequestContext,
      request: AuthorizationRequest,
      chosenScopes: readonly OAuthScope[],
    ): Promise<{ code: string; scopes: OAuthScope[] }> {
      if (!can(ctx.actor, "api_token:manage_own")) throw forbidden("Apps are authorized from a signed-in session");
      const at = now();
      return db.withTenant(ctx, async (tx) => {
        const membership = await repo.findActiveMembership(tx, ctx.actor.userId);
        if (!membership) throw forbidden("Only active members can authorize apps");
        const client = await repo.findClient(tx, request.client.id);
        if (!client) throw forbidden("This app is no longer registered");
        const scopes = grantedScopes(membership.role, request.requestedScopes, chosenScopes);
        const grant = await repo.insertGrant(tx, {
          organizationId: ctx.organizationId,
          userId: ctx.actor.userId,
          clientId: client.id,
          scopes,
          resource: request.resource,
          createdAt: at,
        });
        const code = generateAuthorizationCode(ctx.organizationId);
        await repo.insertCode(tx, {
          organizationId: ctx.organizationId,
          grantId: grant.id,
          codeHash: code.hash,
          redirectUri: request.redirectUri,
          codeChallenge: request.codeChallenge,
          scopes,
          resource: request.resource,
          expiresAt: new Date(at.getTime() + OAUTH_AUTHORIZATION_CODE_TTL_SECONDS * 1000),
          createdAt: at,
        });
        await recordAudit(tx, ctx.organizationId, {
          action: "oauth.grant_created",
          actor: { type: "user", userId: ctx.actor.userId },
          target: { type: "oauth_grant", id: grant.id },
          metadata: { clientId: client.id, clientName: client.name, scopes, resource: request.resource },
          ipAddress: ctx.ipAddress ?? null,
        });
        return { code: code.value, scopes };
      });
    },
  };
}

/**
 * The URL that answers an authorization request (RFC 6749 §4.1.2 / §4.1.2.1): the redirect URI with
 * the code or error, the state and the issuer (RFC 9207) added to whatever query it already has.
 */
export function authorizationResponseUrl(
  redirectUri: string,
  params: { code?: string; error?: OAuthErrorCode; error_description?: string; state: string | null; iss: string },
): string {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) url.searchParams.set(key, value);
  }
  return url.toString();
}
