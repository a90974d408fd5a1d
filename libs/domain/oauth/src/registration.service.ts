import { randomBytes } from "node:crypto";
import {
  OAUTH_SCOPES,
  type OAuthClientRegistrationRequest,
  type OAuthClientRegistrationResponse,
} from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { OAuthError } from "./oauth-error";
import * as repo from "./oauth.repository";
import { checkRedirectUri, redirectHostOf } from "./redirect-uris";

const SUPPORTED_GRANT_TYPES = ["authorization_code", "refresh_token"];
/** Control and format characters would let a client name pose as something else on the consent screen. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/**
 * Dynamic client registration (RFC 7591), open to anyone as the MCP spec expects: a client is only a
 * name and where codes may be sent. It gets no access until a person approves it, and then only to
 * what that person chose in one organization. Public clients only: PKCE instead of a secret.
 */
export function createRegistrationService(db: Database, now: () => Date) {
  return {
    async register(input: OAuthClientRegistrationRequest): Promise<OAuthClientRegistrationResponse> {
      const redirectUris = checkRedirectUris(input.redirect_uris);
      checkGrantAndResponseTypes(input);
      const clientUri = optionalWebUrl("client_uri", input.client_uri);
      const logoUri = optionalWebUrl("logo_uri", input.logo_uri);
      const name = clientNameOf(input.client_name, redirectUris[0]!);
      const createdAt = now();
      const row = await db.withSystem("oauth: register a client (clients belong to no organization)", (tx) =>
        repo.insertClient(tx, {
          id: newClientId(),
          name,
          redirectUris,
          tokenEndpointAuthMethod: "none",
          clientUri,
          logoUri,
          createdAt,
        }),
      );
      return {
        client_id: row.id,
        client_id_issued_at: Math.floor(row.createdAt.getTime() / 1000),
        client_name: row.name,
        redirect_uris: row.redirectUris,
        grant_types: SUPPORTED_GRANT_TYPES,
        response_types: ["code"],
        // RFC 7591 §3.2.1 lets the server replace what was asked; a client that asked for a secret is
        // told it is public and must use PKCE.
        token_endpoint_auth_method: "none",
        scope: OAUTH_SCOPES.join(" "),
        ...(row.clientUri && { client_uri: row.clientUri }),
        ...(row.logoUri && { logo_uri: row.logoUri }),
      };
    },
  };
}

function checkRedirectUris(uris: readonly string[]): string[] {
  for (const uri of uris) {
    const verdict = checkRedirectUri(uri);
    if (!verdict.ok) throw new OAuthError("invalid_redirect_uri", verdict.reason);
  }
  return [...new Set(uris)];
}

function checkGrantAndResponseTypes(input: OAuthClientRegistrationRequest): void {
  const grants = input.grant_types;
  if (grants && (!grants.includes("authorization_code") || grants.some((g) => !SUPPORTED_GRANT_TYPES.includes(g)))) {
    throw new OAuthError(
      "invalid_client_metadata",
      `grant_types must be authorization_code (and optionally refresh_token), not ${grants.join(", ") || "none"}`,
    );
  }
  const responses = input.response_types;
  if (responses && (responses.length === 0 || responses.some((r) => r !== "code"))) {
    throw new OAuthError(
      "invalid_client_metadata",
      `response_types must be ["code"], not ${JSON.stringify(responses)}`,
    );
  }
}

/** A page people may be shown a link to: https, or http on loopback for a local tool. */
function optionalWebUrl(field: string, raw: string | undefined): string | null {
  if (raw === undefined || raw === "") return null;
  const verdict = checkRedirectUri(raw);
  if (!verdict.ok) throw new OAuthError("invalid_client_metadata", `${field}: ${verdict.reason}`);
  return raw;
}

/** The name the consent screen shows; a client without one is named after where its codes go. */
function clientNameOf(raw: string | undefined, firstRedirectUri: string): string {
  if (raw && UNPRINTABLE.test(raw)) {
    throw new OAuthError("invalid_client_metadata", "client_name may contain printable characters only");
  }
  return raw && raw.length > 0 ? raw : `App at ${redirectHostOf(firstRedirectUri)}`;
}

/** 144 random bits: not a secret (public clients have none), just not guessable or enumerable. */
function newClientId(): string {
  return `dfcl_${randomBytes(18).toString("base64url")}`;
}
