import { readFile } from "node:fs/promises";
import path from "node:path";
import type { DocumentKind } from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { createDocumentsService } from "@devflow/domain-documents";
import { createOrganizationsService } from "@devflow/domain-organizations";
import { createProjectsService } from "@devflow/domain-projects";
import type { Logger } from "pino";

export const DEMO_USERS = [
  { email: "ada@demo.devflow.dev", name: "Ada Lovelace" },
  { email: "grace@demo.devflow.dev", name: "Grace Hopper" },
] as const;

const DEMO_DOCUMENTS: { file: string; title: string; kind: DocumentKind }[] = [
  { file: "devflow-ai-design.md", title: "DevFlow.ai design document", kind: "design_doc" },
  { file: "system-architecture-overview.md", title: "System architecture overview", kind: "design_doc" },
  { file: "idwo-architecture-deep-dive.md", title: "RFC: Workflow orchestrator architecture", kind: "rfc" },
  { file: "codeflow-engine-architecture.md", title: "ADR: CodeFlow engine for pull-request analysis", kind: "adr" },
  { file: "productivity-platform-requirements.md", title: "Developer productivity platform requirements", kind: "requirements" },
];

export interface SeedResult {
  seeded: boolean;
  organizationSlug: string;
}

/**
 * The demo workspace a new user lands in: two people, two organizations (so the switcher has
 * something to switch), a project and five real design documents. Idempotent: when Ada already
 * belongs to an organization nothing is written.
 */
export async function seedDemo(db: Database, logger?: Logger): Promise<SeedResult> {
  const organizations = createOrganizationsService(db);
  const projects = createProjectsService(db);
  const documents = createDocumentsService(db);

  const [ada, grace] = await Promise.all(DEMO_USERS.map((u) => organizations.ensureUser(u)));
  const existing = await organizations.listMyOrganizations(ada!.id);
  if (existing.length > 0) return { seeded: false, organizationSlug: existing[0]!.slug };

  const demo = await organizations.createOrganization(ada!.id, { name: "Demo Co" });
  const adaCtx = { organizationId: demo.id, actor: { userId: ada!.id, role: "owner" as const }, requestId: "seed" };
  await organizations.addMember(adaCtx, grace!.id, "member");

  const platform = await projects.create(adaCtx, {
    name: "Platform",
    key: "PLAT",
    description: "Architecture and design of the DevFlow platform itself.",
  });
  await projects.create(adaCtx, { name: "Mobile", key: "MOB", description: "Nothing here yet." });
  for (const doc of DEMO_DOCUMENTS) {
    const content = await readFile(path.join(import.meta.dirname, "documents", doc.file), "utf8");
    await documents.create(adaCtx, platform.id, { title: doc.title, kind: doc.kind, content });
  }

  const guild = await organizations.createOrganization(grace!.id, { name: "Open Source Guild" });
  const graceCtx = { organizationId: guild.id, actor: { userId: grace!.id, role: "owner" as const }, requestId: "seed" };
  await organizations.addMember(graceCtx, ada!.id, "viewer");
  const compilers = await projects.create(graceCtx, { name: "Compilers", key: "COMP", description: "" });
  await documents.create(graceCtx, compilers.id, {
    title: "ADR-001: Keep the parser hand-written",
    kind: "adr",
    content: "# ADR-001: Keep the parser hand-written\n\n## Status\nAccepted\n\n## Context\nError messages matter more than grammar brevity.\n\n## Decision\nWe keep the recursive-descent parser.\n",
  });

  logger?.info({ organization: demo.slug }, "seeded the demo workspace");
  return { seeded: true, organizationSlug: demo.slug };
}
