import { NextResponse, type NextRequest } from "next/server";
import { readCompletedSignIn, clearHandoverCookies } from "@/lib/auth/handover";
import { safeNextPath } from "@/lib/auth/safe-redirect";
import { webConfig } from "@/lib/config";
import { handle } from "@/lib/http";
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
  const next = safeNextPath(req.nextUrl.searchParams.get("next"), organization ? `/${organization.slug}` : "/");
  const response = NextResponse.redirect(new URL(next, base), 303);
  clearHandoverCookies(response);
  return withSession(response, {
    userId: completed.userId,
    organizationId: organization?.id ?? null,
    auth: completed.auth,
  });
});
