import "server-only";
import { decode } from "next-auth/jwt";
import type { NextRequest, NextResponse } from "next/server";
import { z } from "zod";
import { nextAuthSecret, type CompletedSignIn } from "./next-auth-options";

// next-auth prefixes its cookies with __Secure- on https.
const TOKEN_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"];
const CALLBACK_COOKIES = ["__Secure-next-auth.callback-url", "next-auth.callback-url"];

const CompletedSignInSchema = z.object({
  userId: z.uuid(),
  auth: z.discriminatedUnion("method", [
    z.object({ method: z.literal("sso"), organizationId: z.uuid(), connectionId: z.uuid() }),
    z.object({ method: z.literal("email") }),
    z.object({ method: z.literal("github") }),
  ]),
});

/** The sign-in next-auth just completed, or null when there is none (or it expired, or was forged). */
export async function readCompletedSignIn(req: NextRequest): Promise<CompletedSignIn | null> {
  const value = TOKEN_COOKIES.map((name) => req.cookies.get(name)?.value).find(Boolean);
  if (!value) return null;
  const token = await decode({ token: value, secret: await nextAuthSecret() }).catch(() => null);
  const parsed = CompletedSignInSchema.safeParse(token?.devflow);
  return parsed.success ? parsed.data : null;
}

/** next-auth's cookies have done their job once DevFlow's session exists. */
export function clearHandoverCookies(response: NextResponse): void {
  for (const name of [...TOKEN_COOKIES, ...CALLBACK_COOKIES]) {
    response.cookies.set(name, "", {
      path: "/",
      maxAge: 0,
      httpOnly: true,
      sameSite: "lax",
      secure: name.startsWith("__Secure-"),
    });
  }
}
