import type { JacksonOption, SAMLJackson, SAMLSSORecord } from "@boxyhq/saml-jackson";
import { createHash } from "node:crypto";
import { samlServiceProvider, type SamlServiceProvider, SAML_ACS_PATH } from "./saml-paths";

/*
 * SAML 2.0 sign-in runs through BoxyHQ SAML Jackson inside this process: Jackson speaks SAML to the
 * IdP and plain OAuth 2.0 (authorization code + PKCE) to next-auth, so a SAML connection signs in
 * through the same next-auth callbacks as an OIDC one.
 *
 * Jackson's own store is only a cache. DevFlow's `sso_connections` row is the source of truth and is
 * (re)registered with Jackson before each sign-in. The store otherwise holds the short-lived flow
 * state (authorization request, code, access token) and Jackson's SP signing certificate: in Redis
 * when REDIS_URL is set, so every instance sees every flow, else in this process's memory. Jackson's
 * SQL engine is not used: its tables would have to be created by the app's database role, which may
 * not create tables, and it cannot reach the embedded PGlite database at all.
 */

/** Jackson's "product": all of DevFlow's connections; its "tenant" is the organization id. */
export const SAML_PRODUCT = "devflow";
/** How long a SAML sign-in may take from the redirect to the IdP until the code is redeemed. */
const FLOW_TTL_SECONDS = 10 * 60;
/** Metadata behind a URL can change at the IdP without the row changing: fetch it again after this. */
const REGISTRATION_MAX_AGE_MS = 10 * 60_000;

export interface SamlBridgeLogger {
  debug(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface SamlBridgeOptions {
  /** PUBLIC_URL: where browsers and IdPs reach the ACS. */
  publicUrl: string;
  /** Key material the bridge derives its OAuth client secret from. */
  secret: Uint8Array;
  /** Keeps flow state in Redis, shared by every instance; unset: in this process's memory. */
  redisUrl?: string | undefined;
  logger: SamlBridgeLogger;
}

/** One SAML connection as stored by DevFlow, and the next-auth callback it returns to. */
export interface SamlIdpRegistration {
  connectionId: string;
  organizationId: string;
  metadataUrl?: string | undefined;
  metadataXml?: string | undefined;
  updatedAt: Date;
  /** next-auth's callback for this connection: the only redirect URI Jackson will accept for it. */
  callbackUrl: string;
}

export interface SamlBridge {
  /** Jackson's OAuth side: authorize, samlResponse (the ACS), token, userInfo. */
  oauth: SAMLJackson["oauthController"];
  serviceProvider: SamlServiceProvider;
  /** The OAuth client an organization's SAML sign-ins use (the secret is this process's own). */
  clientOf(organizationId: string): { clientId: string; clientSecret: string };
  /** Registers or refreshes a connection with Jackson; resolves to Jackson's id for it (the `idp_hint`). */
  register(registration: SamlIdpRegistration): Promise<string>;
  close(): Promise<void>;
}

export async function createSamlBridge(options: SamlBridgeOptions): Promise<SamlBridge> {
  const serviceProvider = samlServiceProvider(options.publicUrl);
  const derive = (purpose: string) =>
    createHash("sha256").update(`saml-jackson:${purpose}:`).update(options.secret).digest();
  const clientSecret = derive("client-secret").toString("base64url");
  // No store-wide encryption key: Jackson already seals each code and token (which carry the
  // person's profile) with a key only the holder of the code has, and a key derived from the session
  // secret would leave the cached connections and certificate, which never expire, unreadable after
  // the secret is rotated.
  const db: JacksonOption["db"] = options.redisUrl
    ? { engine: "redis", url: options.redisUrl, ttl: FLOW_TTL_SECONDS }
    : { engine: "mem", ttl: FLOW_TTL_SECONDS };

  // Loaded on the first SAML sign-in only: Jackson and its dependencies are heavy.
  const { controllers } = await import("@boxyhq/saml-jackson");
  const jackson = await controllers({
    externalUrl: serviceProvider.entityId,
    samlPath: SAML_ACS_PATH,
    samlAudience: serviceProvider.entityId,
    db,
    clientSecretVerifier: clientSecret,
    // Only sign-ins DevFlow started are accepted: an unsolicited response has no state to match.
    idpEnabled: false,
    openid: { redirectExactMatch: true },
    // No usage reports to BoxyHQ, and no stored copies of failed SAMLResponses (they hold personal data).
    noAnalytics: true,
    ssoTraces: { disable: true },
    logger: {
      info: (message: string) => options.logger.debug({ detail: message }, "saml bridge"),
      warn: (message: string) => options.logger.warn({ detail: message }, "saml bridge"),
      error: (message: string) => options.logger.warn({ detail: message }, "saml bridge: error"),
    },
  } as JacksonOption);

  const registered = new Map<string, { updatedAt: number; registeredAt: number; clientId: string }>();

  async function isStillStored(clientId: string): Promise<boolean> {
    const found = await jackson.connectionAPIController.getConnections({ clientID: clientId });
    return found.length > 0;
  }

  return {
    oauth: jackson.oauthController,
    serviceProvider,
    clientOf: (organizationId) => ({
      clientId: `tenant=${encodeURIComponent(organizationId)}&product=${SAML_PRODUCT}`,
      clientSecret,
    }),
    async register(registration) {
      const known = registered.get(registration.connectionId);
      if (
        known &&
        known.updatedAt === registration.updatedAt.getTime() &&
        Date.now() - known.registeredAt < REGISTRATION_MAX_AGE_MS &&
        (await isStillStored(known.clientId))
      ) {
        return known.clientId;
      }
      const record: SAMLSSORecord = await jackson.connectionAPIController.createSAMLConnection({
        tenant: registration.organizationId,
        product: SAML_PRODUCT,
        name: registration.connectionId,
        defaultRedirectUrl: registration.callbackUrl,
        redirectUrl: [registration.callbackUrl],
        ...(registration.metadataUrl
          ? { metadataUrl: registration.metadataUrl }
          : { rawMetadata: registration.metadataXml ?? "" }),
      } as Parameters<typeof jackson.connectionAPIController.createSAMLConnection>[0]);
      if (known && known.clientId !== record.clientID) {
        // The IdP's entity ID changed: the old entry would otherwise keep claiming the old one.
        const [stale] = await jackson.connectionAPIController.getConnections({ clientID: known.clientId });
        if (stale) {
          await jackson.connectionAPIController.deleteConnections({
            clientID: stale.clientID,
            clientSecret: stale.clientSecret,
          });
        }
      }
      registered.set(registration.connectionId, {
        updatedAt: registration.updatedAt.getTime(),
        registeredAt: Date.now(),
        clientId: record.clientID,
      });
      return record.clientID;
    },
    close: () => jackson.close(),
  };
}

/** What next-auth makes of the person Jackson's userinfo describes. */
export interface SamlPerson {
  id: string;
  email: string | null;
  name: string | null;
  groups: string[];
}

/**
 * Maps Jackson's userinfo (`id` is the NameID; `email`, `firstName`, `lastName`, `groups` are read
 * from the usual attribute names and their schema URIs; `raw` has every attribute) to a person.
 */
export function samlPersonOf(info: Record<string, unknown>): SamlPerson {
  const raw = isRecord(info.raw) ? info.raw : {};
  const id = String(info.id ?? "");
  const email = firstString(info.email) ?? (id.includes("@") ? id : null);
  const fullName = [firstString(info.firstName), firstString(info.lastName)].filter(Boolean).join(" ");
  const name =
    firstString(raw.name) ??
    firstString(raw.displayName) ??
    firstString(raw["http://schemas.microsoft.com/identity/claims/displayname"]) ??
    (fullName || null);
  const groups = [
    ...strings(info.groups),
    ...strings(raw["http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"]),
  ];
  return { id, email: email?.trim().toLowerCase() ?? null, name, groups: [...new Set(groups)] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return ([] as unknown[]).concat(value ?? []).filter((v): v is string => typeof v === "string" && v !== "");
}

function firstString(value: unknown): string | undefined {
  return strings(value)[0]?.trim() || undefined;
}
