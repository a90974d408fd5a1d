import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/next-auth-options";
import { webConfig } from "@/lib/config";
import { requestIdOf, toErrorResponse } from "@/lib/http";
import { webLogger } from "@/lib/logger";
import { clientIp, createRateLimiter } from "@/lib/rate-limit";

// Starting a sign-in sends an email or redirects to an IdP: 10 a minute per email address (or per
// caller and provider) is plenty for a person; the per-caller cap bounds someone cycling addresses.
const perTargetLimiter = createRateLimiter({ limit: 10, windowMs: 60_000, what: "sign-in attempts" });
const perCallerLimiter = createRateLimiter({ limit: 300, windowMs: 60_000, what: "sign-in attempts" });

interface Context {
  params: Promise<{ nextauth: string[] }>;
}

async function handler(req: NextRequest, context: Context): Promise<Response> {
  // next-auth builds its callback URLs from this; it must be the address people use.
  process.env.NEXTAUTH_URL = webConfig().PUBLIC_URL;
  const { nextauth: segments } = await context.params;
  const ipAddress = clientIp(req.headers);
  try {
    if (req.method === "POST" && segments[0] === "signin") {
      perCallerLimiter.consume(ipAddress);
      const email = new URLSearchParams(await req.clone().text()).get("email")?.trim().toLowerCase();
      perTargetLimiter.consume(`${segments[1] ?? ""}:${email || ipAddress}`);
    }
    return await NextAuth(req, context, await authOptions({ segments, ipAddress }));
  } catch (error) {
    return toErrorResponse(error, { requestId: requestIdOf(req), logger: webLogger() });
  }
}

export { handler as GET, handler as POST };
