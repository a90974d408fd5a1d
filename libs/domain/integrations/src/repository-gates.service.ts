import { can, type RequestContext } from "@devflow/auth";
import { QualityGateSettingsSchema, type QualityGateSettings } from "@devflow/contracts";
import type { Database, Prisma, Tx } from "@devflow/db";
import { recordAudit, type AuditActorType } from "@devflow/domain-audit";
import { AppError, forbidden, notFound } from "@devflow/util-core";
import type { z } from "zod";
import { gateSettingsOf } from "./pr-analysis/quality-gates";
import * as repo from "./repositories.repository";

/** The gates as a caller sends them: a field left out takes its default. */
export type QualityGateSettingsInput = z.input<typeof QualityGateSettingsSchema>;

/**
 * The quality gates the pull-request analysis holds a repository to (its "DevFlow quality gates"
 * check run), defaults filled in. Any member may read them; another organization's repository, or
 * an unknown id, is not_found. Stored settings that do not parse read as the defaults, as the
 * analysis itself reads them.
 */
export async function getQualityGates(
  db: Database,
  ctx: RequestContext,
  repositoryId: string,
): Promise<QualityGateSettings> {
  if (!can(ctx.actor, "organization:read")) throw forbidden("You cannot read this organization's repositories");
  return db.withTenant(ctx, async (tx) => {
    const row = await repo.findRepositorySettings(tx, repositoryId);
    if (!row) throw notFound("Repository", repositoryId);
    return gateSettingsOf(row.settings).gates;
  });
}

/**
 * Replaces a repository's quality gates (fields left out take their defaults), keeping every other
 * key of its settings. Admins and owners only — the permission that manages the integration the
 * repository came from — checked before the repository is looked up. Invalid gates are
 * validation_failed; another organization's repository is not_found. The change and its audit
 * entry (`repository.quality_gates_changed`, the gates before and after) commit together; gates
 * equal to those in force record nothing.
 */
export async function setQualityGates(
  db: Database,
  ctx: RequestContext,
  repositoryId: string,
  input: QualityGateSettingsInput,
): Promise<QualityGateSettings> {
  if (!can(ctx.actor, "integrations:manage")) {
    throw forbidden("Only admins and owners can change a repository's quality gates");
  }
  const gates = parseGates(input);
  return db.withTenant(ctx, async (tx) => {
    const row = await repo.lockRepositorySettings(tx, repositoryId);
    if (!row) throw notFound("Repository", repositoryId);
    const current = gateSettingsOf(row.settings);
    // Stored gates that did not parse are rewritten even when they read as the new ones.
    if (current.invalid || !sameGates(current.gates, gates)) {
      await repo.setRepositorySettings(tx, repositoryId, { ...settingsObject(row.settings), qualityGates: gates });
    }
    if (!sameGates(current.gates, gates)) {
      await audit(tx, ctx, { id: repositoryId, fullName: row.fullName }, { old: current.gates, new: gates });
    }
    return gates;
  });
}

function parseGates(input: QualityGateSettingsInput): QualityGateSettings {
  const parsed = QualityGateSettingsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
  const first = issues[0];
  const message = `The quality gates are invalid (${first ? `${first.path}: ${first.message}` : "invalid input"})`;
  throw new AppError("validation_failed", message, { report: false, details: { issues } });
}

function sameGates(a: QualityGateSettings, b: QualityGateSettings): boolean {
  return (
    a.maxRisk === b.maxRisk &&
    a.requireTestsWithSource === b.requireTestsWithSource &&
    a.requireLinkedDoc === b.requireLinkedDoc &&
    a.requireApprovedDoc === b.requireApprovedDoc
  );
}

/** The stored settings as an object to merge into; anything else (never written by DevFlow) starts afresh. */
function settingsObject(settings: Prisma.JsonValue): Prisma.InputJsonObject {
  return settings !== null && typeof settings === "object" && !Array.isArray(settings)
    ? (settings as Prisma.InputJsonObject)
    : {};
}

function audit(
  tx: Tx,
  ctx: RequestContext,
  repository: { id: string; fullName: string },
  change: { old: QualityGateSettings; new: QualityGateSettings },
) {
  const type: AuditActorType = ctx.actor.via?.kind === "api_token" ? "api_token" : "user";
  return recordAudit(tx, ctx.organizationId, {
    action: "repository.quality_gates_changed",
    actor: { type, userId: ctx.actor.userId },
    target: { type: "repository", id: repository.id },
    metadata: { fullName: repository.fullName, old: change.old, new: change.new },
    ipAddress: ctx.ipAddress ?? null,
  });
}
