import { runHealthChecks } from "@devflow/observability";
import { database } from "@/lib/services";

export const dynamic = "force-dynamic";

// Below a typical probe timeout, so the report still arrives when the database hangs.
const CHECK_TIMEOUT_MS = 2_000;

/** Readiness: 200 when the database answers, 503 with the report when it does not. */
export async function GET(): Promise<Response> {
  const report = await runHealthChecks(
    "web",
    [{ name: "database", check: async () => (await database()).ping() }],
    CHECK_TIMEOUT_MS,
  );
  return Response.json(report, {
    status: report.status === "ok" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
