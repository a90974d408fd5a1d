import type { RequestContext } from "@devflow/auth";
import type { DoraMetricsQuery } from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { readDoraMetrics } from "./dora-metrics.service";
import { attributeIncident } from "./incident-attribution.service";

export type DoraService = ReturnType<typeof createDoraService>;

/** The DORA reads and the attribution correction bound to one Database, for the web app's routes. */
export function createDoraService(db: Database) {
  return {
    metrics: (ctx: RequestContext, projectId: string, query: DoraMetricsQuery) =>
      readDoraMetrics(db, ctx, projectId, query),
    attributeIncident: (ctx: RequestContext, incidentId: string, deploymentId: string | null) =>
      attributeIncident(db, ctx, incidentId, deploymentId),
  };
}
