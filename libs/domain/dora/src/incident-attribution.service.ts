import type { RequestContext } from "@devflow/auth";
import { can } from "@devflow/auth";
import type { IncidentDto } from "@devflow/contracts";
import type { Database, Tx } from "@devflow/db";
import { recordAudit, type AuditActorType } from "@devflow/domain-audit";
import { forbidden, notFound } from "@devflow/util-core";
import * as repo from "./dora.repository";

/**
 * An admin's correction of which deployment an incident is blamed on (change failure rate), or
 * none. Admins and owners only — the same permission as managing the GitHub integration the
 * incidents come from; the deployment must be one of the organization's (another's is not_found,
 * as is an unknown incident). The change and its audit entry (`incident.attribution_changed`, old
 * and new deployment) commit together; setting the attribution it already has records nothing.
 *
 * The incident is marked as attributed by hand, and from then on the event processor (which
 * recomputes an automatic attribution when the issue changes or a production deployment succeeds)
 * leaves it as the admin set it.
 */
export async function attributeIncident(
  db: Database,
  ctx: RequestContext,
  incidentId: string,
  deploymentId: string | null,
): Promise<IncidentDto> {
  if (!can(ctx.actor, "integrations:manage")) {
    throw forbidden("Only admins and owners can change which deployment an incident is attributed to");
  }
  return db.withTenant(ctx, async (tx) => {
    const incident = await repo.findIncident(tx, incidentId);
    if (!incident) throw notFound("Incident", incidentId);
    if (deploymentId !== null && !(await repo.findDeployment(tx, deploymentId))) {
      throw notFound("Deployment", deploymentId);
    }
    if (incident.deploymentId === deploymentId && incident.attributedManually) return toIncidentDto(incident);
    const updated = await repo.setIncidentDeployment(tx, incidentId, deploymentId);
    await audit(tx, ctx, incidentId, { from: incident.deploymentId, to: deploymentId });
    return toIncidentDto(updated);
  });
}

function audit(tx: Tx, ctx: RequestContext, incidentId: string, change: { from: string | null; to: string | null }) {
  const type: AuditActorType = ctx.actor.via?.kind === "api_token" ? "api_token" : "user";
  return recordAudit(tx, ctx.organizationId, {
    action: "incident.attribution_changed",
    actor: { type, userId: ctx.actor.userId },
    target: { type: "incident", id: incidentId },
    metadata: { fromDeploymentId: change.from, toDeploymentId: change.to },
    ipAddress: ctx.ipAddress ?? null,
  });
}

function toIncidentDto(row: NonNullable<Awaited<ReturnType<typeof repo.findIncident>>>): IncidentDto {
  return {
    id: row.id,
    title: row.title,
    severity: row.severity,
    openedAt: row.openedAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    deploymentId: row.deploymentId,
    attributedManually: row.attributedManually,
  };
}
