import { NextResponse } from "next/server";
import { handle } from "@/lib/http";
import { readSession, sessionDto, unauthenticated, withoutSession } from "@/lib/session";

/** The signed-in user, their organizations and the current one; 401 when signed out. */
export const GET = handle(async (req) => {
  const claims = await readSession(req);
  const session = claims && (await sessionDto(claims));
  if (!session) throw unauthenticated();
  return session;
});

/** Signs out. */
export const DELETE = handle(async () => withoutSession(new NextResponse(null, { status: 204 })));
