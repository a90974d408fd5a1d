import "server-only";
import type { SessionAuth } from "@devflow/auth";
import { createHash } from "node:crypto";
import type { NextAuthOptions, User } from "next-auth";
import type { Adapter, AdapterUser } from "next-auth/adapters";
import EmailProvider from "next-auth/providers/email";
import type { OAuthConfig, Provider } from "next-auth/providers/index";
import { isAppError, isUuid } from "@devflow/util-core";
import { webConfig } from "../config";
import { webLogger } from "../logger";
import { services, type Services } from "../services";
import { loadSessionSecret } from "../session-secret";
import { safeNextPath } from "./safe-redirect";
import { samlPersonOf, SAML_PRODUCT } from "./saml-bridge";
import { samlBridge } from "./saml-jackson";
import { SAML_AUTHORIZE_PATH, SAML_TOKEN_PATH, SAML_USERINFO_PATH } from "./saml-paths";
import { sendSignInLink } from "./sign-in-mail";

/*
 * next-auth does the protocol work (OIDC with PKCE and state, SAML through the in-process Jackson
 * bridge, GitHub OAuth, one-time email links) and hands the outcome to /api/v1/session/complete,
 * which issues DevFlow's own session cookie. Its own JWT lives only for that hand-over; every rule
 * about who gets in is decided in the callbacks below.
 */

export const SSO_PROVIDER_PREFIX = "sso-";
export const EMAIL_LINK_MAX_AGE_SECONDS = 15 * 60;
/** next-auth's own token only carries a sign-in to the bridge route. */
const HANDOVER_MAX_AGE_SECONDS = 10 * 60;

/** What a successful sign-in hands to the session bridge. */
export interface CompletedSignIn {
  userId: string;
  auth: SessionAuth;
}

/** The user object next-auth passes from `signIn` to `jwt`, carrying our decision along. */
type SignInUser = User & { devflow?: CompletedSignIn; groups?: string[]; emailVerified?: boolean };

export interface AuthRequest {
  /** next-auth's route segments: ["signin", "sso-…"], ["callback", "email"], ["csrf"]… */
  segments: readonly string[];
  ipAddress: string;
}

/** next-auth's secret, derived from the session secret so the two are never the same key. */
export async function nextAuthSecret(): Promise<string> {
  const sessionSecret = await loadSessionSecret(webConfig());
  return createHash("sha256").update("next-auth:").update(sessionSecret).digest("base64url");
}

/** The options for one next-auth request: only the provider it is about, so nothing else is loaded. */
export async function authOptions(request: AuthRequest): Promise<NextAuthOptions> {
  const s = await services();
  const providerId = request.segments[1];
  const providers = await providersFor(s, providerId);
  const usesEmail = providers.some((p) => p.type === "email");
  return {
    secret: await nextAuthSecret(),
    providers,
    // Only the email link needs storage (its one-time tokens); OAuth and OIDC sign-ins are provisioned
    // by the signIn callback, so next-auth's account linking stays off.
    ...(usesEmail && { adapter: emailLinkAdapter(s) }),
    session: { strategy: "jwt", maxAge: HANDOVER_MAX_AGE_SECONDS },
    jwt: { maxAge: HANDOVER_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in", verifyRequest: "/sign-in?sent=1" },
    logger: {
      error: (code, metadata) => webLogger().warn({ code, err: metadata }, "sign-in: next-auth error"),
      warn: (code) => webLogger().warn({ code }, "sign-in: next-auth warning"),
      debug: () => {},
    },
    callbacks: {
      signIn: (params) => decideSignIn(s, params, request.ipAddress),
      jwt({ token, user, account }) {
        // OAuth and OIDC hand the signIn callback's user object on; the email flow reloads the user
        // through the adapter, whose id is DevFlow's own.
        const carried = (user as SignInUser | undefined)?.devflow;
        if (carried) token.devflow = carried;
        else if (account?.provider === "email" && user?.id && isUuid(user.id)) {
          token.devflow = { userId: user.id, auth: { method: "email" } } satisfies CompletedSignIn;
        }
        return token;
      },
      redirect({ url, baseUrl }) {
        if (url.startsWith("/")) return `${baseUrl}${safeNextPath(url)}`;
        try {
          const target = new URL(url);
          if (target.origin === new URL(baseUrl).origin)
            return `${baseUrl}${safeNextPath(target.pathname + target.search)}`;
        } catch {
          // fall through to the home page
        }
        return baseUrl;
      },
    },
  };
}

async function providersFor(s: Services, providerId: string | undefined): Promise<Provider[]> {
  if (providerId?.startsWith(SSO_PROVIDER_PREFIX)) {
    const connectionId = providerId.slice(SSO_PROVIDER_PREFIX.length);
    if (!isUuid(connectionId)) return [];
    const provider = (await oidcProvider(s, connectionId)) ?? (await samlProvider(s, connectionId));
    return provider ? [provider] : [];
  }
  if (providerId === "github") {
    const github = githubProvider();
    return github ? [github] : [];
  }
  return [emailProvider()];
}

async function oidcProvider(s: Services, connectionId: string): Promise<OAuthConfig<Record<string, unknown>> | null> {
  const config = await s.sso.oidcClientConfig(connectionId);
  if (!config) return null;
  const issuer = config.issuer.replace(/\/+$/, "");
  return {
    id: `${SSO_PROVIDER_PREFIX}${config.connectionId}`,
    name: "Single sign-on",
    type: "oauth",
    wellKnown: `${issuer}/.well-known/openid-configuration`,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authorization: { params: { scope: config.scopes } },
    idToken: true,
    checks: ["pkce", "state"],
    profile(claims) {
      const groups = claims[config.groupsClaim];
      return {
        id: String(claims.sub),
        email: typeof claims.email === "string" ? claims.email.toLowerCase() : null,
        name: typeof claims.name === "string" ? claims.name : null,
        groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === "string") : [],
        // An IdP that says outright the address is unverified is not trusted with it; silence is trust.
        emailVerified: claims.email_verified !== false && claims.email_verified !== "false",
      } as SignInUser;
    },
  };
}

/**
 * A SAML connection signs in as an OAuth client of the Jackson bridge (saml-bridge.ts): the stored
 * connection is registered with Jackson first, and `idp_hint` pins the sign-in to it.
 */
async function samlProvider(s: Services, connectionId: string): Promise<OAuthConfig<Record<string, unknown>> | null> {
  const config = await s.sso.samlConnectionConfig(connectionId);
  if (!config) return null;
  const base = webConfig().PUBLIC_URL.replace(/\/+$/, "");
  const id = `${SSO_PROVIDER_PREFIX}${config.connectionId}`;
  const bridge = await samlBridge();
  let idpHint: string;
  try {
    idpHint = await bridge.register({ ...config, callbackUrl: `${base}/api/auth/callback/${id}` });
  } catch (error) {
    // Metadata that no longer parses or downloads, or an IdP entity ID another organization claimed.
    webLogger().warn({ err: error, connectionId }, "sign-in: the SAML connection could not be registered");
    return null;
  }
  const { clientId, clientSecret } = bridge.clientOf(config.organizationId);
  return {
    id,
    name: "Single sign-on",
    type: "oauth",
    issuer: base,
    clientId,
    clientSecret,
    client: { token_endpoint_auth_method: "client_secret_post" },
    authorization: { url: `${base}${SAML_AUTHORIZE_PATH}`, params: { scope: "", idp_hint: idpHint } },
    token: `${base}${SAML_TOKEN_PATH}`,
    userinfo: `${base}${SAML_USERINFO_PATH}`,
    idToken: false,
    checks: ["pkce", "state"],
    profile(info) {
      // Jackson answers for whichever connection the flow named; only this one's may sign in here.
      const requested = (info.requested ?? {}) as Record<string, unknown>;
      if (
        requested.tenant !== config.organizationId ||
        requested.product !== SAML_PRODUCT ||
        requested.idp_hint !== idpHint
      ) {
        throw new Error(`The SAML sign-in did not come through connection ${config.connectionId}`);
      }
      const person = samlPersonOf(info);
      return { id: person.id, email: person.email, name: person.name, groups: person.groups } as SignInUser;
    },
  };
}

interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

/**
 * GitHub OAuth (or GitHub Enterprise Server at GITHUB_URL). Unlike next-auth's built-in provider, the
 * address used is always the account's primary *verified* email, read from /user/emails: a public
 * profile email or an unverified one could name someone else.
 */
function githubProvider(): Provider | null {
  const { GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET, GITHUB_URL, GITHUB_API_URL } = webConfig();
  if (!GITHUB_CLIENT_ID || !GITHUB_CLIENT_SECRET) return null;
  const web = GITHUB_URL.replace(/\/+$/, "");
  const api = GITHUB_API_URL.replace(/\/+$/, "");
  return {
    id: "github",
    name: "GitHub",
    type: "oauth",
    issuer: `${web}/login/oauth`,
    clientId: GITHUB_CLIENT_ID,
    clientSecret: GITHUB_CLIENT_SECRET,
    authorization: { url: `${web}/login/oauth/authorize`, params: { scope: "read:user user:email" } },
    token: `${web}/login/oauth/access_token`,
    checks: ["state"],
    userinfo: {
      url: `${api}/user`,
      async request({ client, tokens }) {
        const accessToken = tokens.access_token ?? "";
        const profile = await client.userinfo(accessToken);
        const response = await fetch(`${api}/user/emails`, {
          headers: { authorization: `Bearer ${accessToken}`, accept: "application/vnd.github+json" },
          signal: AbortSignal.timeout(10_000),
        });
        const emails = response.ok ? ((await response.json()) as GitHubEmail[]) : [];
        const primary = emails.find((e) => e.primary && e.verified);
        return { ...profile, email: primary?.email };
      },
    },
    profile(profile: Record<string, unknown>) {
      const login = typeof profile.login === "string" ? profile.login : null;
      return {
        id: String(profile.id),
        name: typeof profile.name === "string" && profile.name ? profile.name : login,
        email: typeof profile.email === "string" ? profile.email.toLowerCase() : null,
      };
    },
  };
}

function emailProvider(): Provider {
  return EmailProvider({
    maxAge: EMAIL_LINK_MAX_AGE_SECONDS,
    sendVerificationRequest: ({ identifier, url }) => sendSignInLink(identifier, url, EMAIL_LINK_MAX_AGE_SECONDS / 60),
  });
}

type SignInParams = Parameters<NonNullable<NonNullable<NextAuthOptions["callbacks"]>["signIn"]>>[0];

/** Who may sign in, and as whom. Returns true, or the sign-in page with a reason. */
async function decideSignIn(s: Services, params: SignInParams, ipAddress: string): Promise<boolean | string> {
  const { account, email } = params;
  const user = params.user as SignInUser;
  const address = user.email?.trim().toLowerCase();
  if (!account || !address) return refuse("email_missing");

  if (account.provider.startsWith(SSO_PROVIDER_PREFIX)) {
    const connectionId = account.provider.slice(SSO_PROVIDER_PREFIX.length);
    if (user.emailVerified === false) return refuse("email_unverified");
    try {
      const member = await s.sso.provision(
        connectionId,
        { email: address, name: user.name ?? null, subject: account.providerAccountId, groups: user.groups ?? [] },
        { ipAddress },
      );
      user.devflow = {
        userId: member.userId,
        auth: { method: "sso", organizationId: member.organizationId, connectionId },
      };
      await s.signInAudit.succeeded({
        organizationId: member.organizationId,
        userId: member.userId,
        method: "sso",
        ipAddress,
      });
      return true;
    } catch (error) {
      const reason = isAppError(error) ? reasonOf(error) : "sso_failed";
      webLogger().warn({ err: error, connectionId, reason }, "sign-in: SSO provisioning refused");
      const config =
        (await s.sso.oidcClientConfig(connectionId).catch(() => null)) ??
        (await s.sso.samlConnectionConfig(connectionId).catch(() => null));
      if (config) {
        await s.signInAudit
          .failed({
            organizationId: config.organizationId,
            userId: null,
            method: "sso",
            reason,
            ipAddress,
            email: address,
          })
          .catch(() => {});
      }
      return refuse(reason);
    }
  }

  const method = account.provider === "github" ? "github" : "email";
  // An organization that enforces SSO owns its domain's sign-ins: no link is even sent.
  const enforced = await s.sso.enforcedFor(address);
  if (enforced) {
    await s.signInAudit
      .failed({
        organizationId: enforced.organizationId,
        userId: null,
        method,
        reason: "sso_required",
        ipAddress,
        email: address,
      })
      .catch(() => {});
    return refuse("sso_required", { organization: enforced.organizationName, email: address });
  }
  if (method === "email" && email?.verificationRequest) return true;

  const signedIn = await s.organizations.ensureUser({
    email: address,
    name: user.name?.trim() || address.split("@")[0]!,
  });
  user.devflow = { userId: signedIn.id, auth: { method } };
  return true;
}

function reasonOf(error: { code: string; details?: unknown }): string {
  const reason = (error.details as { reason?: unknown } | undefined)?.reason;
  return typeof reason === "string" ? reason : error.code;
}

function refuse(reason: string, extra: Record<string, string> = {}): string {
  return `/sign-in?${new URLSearchParams({ error: reason, ...extra })}`;
}

/** The few adapter methods one-time email links need; users are DevFlow's own. */
function emailLinkAdapter(s: Services): Adapter {
  const toAdapterUser = (u: { id: string; email: string; name: string }): AdapterUser => ({
    id: u.id,
    email: u.email,
    name: u.name,
    emailVerified: null,
  });
  return {
    async createVerificationToken({ identifier, token, expires }) {
      // next-auth hands over the token already hashed with its secret; it is stored as given.
      await s.verificationTokens.create({ identifier: identifier.toLowerCase(), tokenHash: token, expiresAt: expires });
      return { identifier, token, expires };
    },
    async useVerificationToken({ identifier, token }) {
      const used = await s.verificationTokens.use(identifier.toLowerCase(), token);
      return used && { identifier: used.identifier, token: used.tokenHash, expires: used.expiresAt };
    },
    async getUserByEmail(email) {
      const found = await s.organizations.findUserByEmail(email.toLowerCase());
      return found && toAdapterUser(found);
    },
    async createUser(user: Omit<AdapterUser, "id">) {
      const email = user.email.toLowerCase();
      return toAdapterUser(
        await s.organizations.ensureUser({ email, name: user.name?.trim() || email.split("@")[0]! }),
      );
    },
    async getUser(id) {
      const found = await s.organizations.getUser(id);
      return found && toAdapterUser(found);
    },
    async updateUser(user) {
      const found = await s.organizations.getUser(user.id);
      if (!found) throw new Error("sign-in: the user disappeared during sign-in");
      return toAdapterUser(found);
    },
    getUserByAccount: async () => null,
  };
}
