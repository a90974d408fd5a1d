export const dynamic = "force-dynamic";

/** Liveness: the process answers. Dependencies are /health/ready's business. */
export function GET(): Response {
  return Response.json({ status: "ok", service: "web" }, { headers: { "cache-control": "no-store" } });
}
