import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/next-auth-options";
import { webConfig } from "@/lib/config";
import { requestIdOf, toErrorResponse } from "@/lib/http";
import { webLogger } from "@/lib/logger";
import { clientIp, createRateLimiter } from "@/lib/rate-limit";

// Starting a sign-in sends an email or redirects to an IdP: 10 a minute per address is plenty for a person.
const startLimiter = createRateLimiter({ limit: 10, windowMs: 60_000 });

interface Context {
  params: Promise<{ nextauth: string[] }>;
}

async function handler(req: NextRequest, context: Context): Promise<Response> {
  // next-auth builds its callback URLs from this; it must be the address people use.
  process.env.NEXTAUTH_URL = webConfig().PUBLIC_URL;
  const { nextauth: segments } = await context.params;
  const ipAddress = clientIp(req.headers);
  try {
    if (req.method === "POST" && segments[0] === "signin") startLimiter.consume(ipAddress);
    return await NextAuth(req, context, await authOptions({ segments, ipAddress }));
  } catch (error) {
    return toErrorResponse(error, { requestId: requestIdOf(req), logger: webLogger() });
  }
}

export { handler as GET, handler as POST };
