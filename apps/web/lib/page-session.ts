import "server-only";
import type { RequestContext } from "@devflow/auth";
import type { MyOrganizationDto, SessionDto } from "@devflow/contracts";
import { REQUEST_ID_HEADER } from "@devflow/observability";
import { isAppError } from "@devflow/util-core";
import { randomUUID } from "node:crypto";
import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { services, type Services } from "./services";
import { assertSsoSatisfied, readSessionToken, SESSION_COOKIE, sessionDto } from "./session";

/*
 * The checks pages run before rendering (STYLE.md §2: in page.tsx, never in layout.tsx). They redirect
 * or 404 instead of throwing AppError, because a page answers people, not API clients.
 */

/** The signed-in session, or null. */
export async function currentSession(): Promise<SessionDto | null> {
  const claims = await readSessionToken((await cookies()).get(SESSION_COOKIE)?.value);
  return claims ? sessionDto(claims) : null;
}

/** The signed-in session, or a redirect to /sign-in. */
export async function requireSignedIn(): Promise<SessionDto> {
  const session = await currentSession();
  if (!session) redirect("/sign-in");
  return session;
}

export interface OrganizationPage {
  session: SessionDto;
  organization: MyOrganizationDto;
  /** For calling services on the page's behalf, exactly as the REST API would. */
  ctx: RequestContext;
}

/** The session and the organization whose slug is in the URL; 404 when the user is not a member. */
export async function requireOrganization(orgSlug: string): Promise<OrganizationPage> {
  const session = await requireSignedIn();
  const organization = session.organizations.find((o) => o.slug === orgSlug);
  if (!organization) notFound();
  const claims = await readSessionToken((await cookies()).get(SESSION_COOKIE)?.value);
  try {
    if (claims) await assertSsoSatisfied(claims.auth, organization.id);
  } catch (error) {
    if (isAppError(error) && error.code === "forbidden") {
      redirect(`/sign-in?${new URLSearchParams({ error: "sso_required", organization: organization.name, next: `/${orgSlug}` })}`);
    }
    throw error;
  }
  const requestId = (await headers()).get(REQUEST_ID_HEADER) ?? randomUUID();
  const ctx = {
    organizationId: organization.id,
    actor: { userId: session.user.id, role: organization.role },
    requestId,
  };
  return { session, organization, ctx };
}

/** Runs a service read for a page; records the user may not see (or that do not exist) become a 404. */
export async function loadOr404<T>(read: (s: Services) => Promise<T>): Promise<T> {
  try {
    return await read(await services());
  } catch (error) {
    if (isAppError(error) && (error.code === "not_found" || error.code === "forbidden")) notFound();
    throw error;
  }
}
