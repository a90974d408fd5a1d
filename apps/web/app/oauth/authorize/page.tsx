import { ssoRequirementMet } from "@devflow/auth";
import { authorizationResponseUrl, oauthScopesAllowedFor } from "@devflow/domain-oauth";
import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { oauthIssuer, oauthService } from "@/lib/oauth-http";
import { currentSession } from "@/lib/page-session";
import { services } from "@/lib/services";
import { readSessionToken, SESSION_COOKIE } from "@/lib/session";
import {
  authorizePagePath,
  AUTHORIZATION_PARAM_NAMES,
  CONSENT_ERROR_MESSAGES,
  CONSENT_ERROR_PARAM,
  readAuthorizationParams,
} from "./authorize-params";
import { ConsentForm, type ConsentOrganization } from "./ConsentForm";
import styles from "./consent.module.css";

export const metadata: Metadata = { title: "Authorize an app" };

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * The authorization endpoint (RFC 6749 §4.1.1) as a page: check the request, have the person sign
 * in if they are not, then ask them. Problems with the client or its redirect URI are shown here;
 * any other problem goes back to the client (§4.1.2.1). Framing is refused in server.ts.
 */
export default async function AuthorizePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const params = readAuthorizationParams(query);
  if (!params)
    return (
      <AuthorizeError description="The authorization request is malformed (a parameter is repeated or too long)." />
    );
  const check = await (await oauthService()).authorization.check(params);
  if (!check.ok && check.kind === "show") return <AuthorizeError description={check.description} />;
  if (!check.ok) {
    const { redirectUri, state, error, description } = check;
    redirect(
      authorizationResponseUrl(redirectUri, { error, error_description: description, state, iss: oauthIssuer() }),
    );
  }

  const session = await currentSession();
  if (!session) redirect(`/sign-in?${new URLSearchParams({ next: authorizePagePath(params) })}`);
  const organizations = await consentOrganizations(session.organizations);
  const errorReason = [query[CONSENT_ERROR_PARAM]].flat()[0];
  const error =
    errorReason && errorReason in CONSENT_ERROR_MESSAGES
      ? CONSENT_ERROR_MESSAGES[errorReason as keyof typeof CONSENT_ERROR_MESSAGES]
      : null;
  const hiddenFields = AUTHORIZATION_PARAM_NAMES.flatMap((name) =>
    params[name] === undefined ? [] : [{ name, value: params[name]! }],
  );

  return (
    <main className="auth-page">
      <div className={`auth-card ${styles.card}`} data-testid="oauth-consent">
        <div className="auth-card__brand">
          <span className="brand-mark" aria-hidden>
            D
          </span>
          DevFlow
        </div>
        <ConsentForm
          client={check.request.client}
          redirectHost={check.request.redirectHost}
          requestedScopes={check.request.requestedScopes}
          organizations={organizations}
          defaultOrganizationId={session.currentOrganizationId}
          signedInAs={session.user.email}
          hiddenFields={hiddenFields}
          error={error}
        />
      </div>
    </main>
  );
}

/** The person's organizations with what an app may get in each, and which ones this session cannot grant in. */
async function consentOrganizations(
  mine: readonly { id: string; name: string; role: ConsentOrganization["role"] }[],
): Promise<ConsentOrganization[]> {
  const claims = await readSessionToken((await cookies()).get(SESSION_COOKIE)?.value);
  const { signInPolicy } = await services();
  return Promise.all(
    mine.map(async (organization) => {
      const policy = await signInPolicy.forOrganization(organization.id);
      const needsSso = !!claims && !!policy && !ssoRequirementMet(claims.auth, organization.id, policy.enforcesSso);
      return {
        id: organization.id,
        name: organization.name,
        role: organization.role,
        allowedScopes: oauthScopesAllowedFor(organization.role),
        unavailableReason: needsSso ? "requires its single sign-on" : null,
      };
    }),
  );
}

function AuthorizeError({ description }: { description: string }) {
  return (
    <main className="auth-page">
      <div className="auth-card" data-testid="oauth-error">
        <div className="auth-card__brand">
          <span className="brand-mark" aria-hidden>
            D
          </span>
          DevFlow
        </div>
        <div>
          <h1 className="auth-card__title">This app cannot be authorized</h1>
          <p className="auth-card__lead" data-testid="oauth-error-description">
            {description}
          </p>
        </div>
        <p className="fine-print">
          For your safety DevFlow does not send you back to the app. Close this tab and contact the app&apos;s maker.
        </p>
      </div>
    </main>
  );
}
