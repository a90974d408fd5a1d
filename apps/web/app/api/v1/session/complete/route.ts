import { NextResponse, type NextRequest } from "next/server";
import { readCompletedSignIn, clearHandoverCookies } from "@/lib/auth/handover";
import { safeNextPath } from "@/lib/auth/safe-redirect";
import { webConfig } from "@/lib/config";
import { handle } from "@/lib/http";
import { clientIp } from "@/lib/rate-limit";
import { services } from "@/lib/services";
import { chooseOrganization, withSession } from "@/lib/session";

/**
 * Where every next-auth sign-in lands: turns its short-lived hand-over token into DevFlow's session
 * (one organization at a time) and goes on to `next`, a path on this site.
 */
export const GET = handle(async (req: NextRequest) => {
  const base = webConfig().PUBLIC_URL;
  const completed = await readCompletedSignIn(req);
  if (!completed) return NextResponse.redirect(new URL("/sign-in?error=session_expired", base), 303);
  const organization = await chooseOrganization(completed.userId, completed.auth);
  // SSO sign-ins are recorded where they are decided; others in the organization they open.
  if (organization && completed.auth.method !== "sso") {
    await (await services()).signInAudit.succeeded({
      organizationId: organization.id,
      userId: completed.userId,
      method: completed.auth.method,
      ipAddress: clientIp(req.headers),
    });
  }
  const next = safeNextPath(req.nextUrl.searchParams.get("next"), organization ? `/${organization.slug}` : "/");
  const response = NextResponse.redirect(new URL(next, base), 303);
  clearHandoverCookies(response);
  return withSession(response, {
    userId: completed.userId,
    organizationId: organization?.id ?? null,
    auth: completed.auth,
  });
});
