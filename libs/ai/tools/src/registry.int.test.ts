import { randomUUID } from "node:crypto";
import {
  chunkMarkdown,
  createDocumentIndexer,
  createOfflineEmbedder,
  createPgvectorStore,
  createRetrievalService,
} from "@devflow/ai-rag";
import type { RequestContext } from "@devflow/auth";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { isAppError, type AppError } from "@devflow/util-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LiveDocumentEditor, LiveEdit } from "./live-editor";
import { createToolRegistry, type ToolRegistry } from "./registry";
import type { ToolAgent, ToolCallContext } from "./tool";

/**
 * The registry against a real database: what each actor is offered, what the services refuse
 * (viewers, read-only tokens, private projects, other organizations) and how bad input is named.
 * edit_doc's live path is covered in apps/ai with a real collab server; here a recording editor
 * shows that refused calls never reach it.
 */
let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let viewer: RequestContext;
let member: RequestContext;
let registry: ToolRegistry;
const liveEdits: LiveEdit[] = [];
let openProjectId: string;
let openDocId: string;
let privateDocId: string;
let globexDocId: string;

const recordingEditor: LiveDocumentEditor = {
  async apply(_call, edit) {
    liveEdits.push(edit);
    return { version: edit.baseVersion + 1, concurrentOps: 0 };
  },
};

beforeAll(async () => {
  t = await createTestDatabase();
  const embedder = createOfflineEmbedder();
  registry = createToolRegistry({
    db: t.db,
    retrieval: createRetrievalService(t.db, { embedder }),
    liveEditor: recordingEditor,
    answer: async (_call, { question }) => ({ text: `You asked: ${question}`, citations: [] }),
  });
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  viewer = await acme.addMember("viewer", "Vic");
  member = await acme.addMember("member", "Mia");
  const projects = createProjectsService(t.db);
  const documents = createDocumentsService(t.db);
  const indexer = createDocumentIndexer(t.db, { embedder });
  openProjectId = (await projects.create(acme.ctx, { name: "Open", description: "" })).id;
  const secret = await projects.create(acme.ctx, { name: "Secret", description: "", visibility: "private" });
  const globexProject = await projects.create(globex.ctx, { name: "Globex", description: "" });
  const create = async (ctx: RequestContext, projectId: string, title: string, content: string) => {
    const doc = await documents.create(ctx, projectId, { title, kind: "design_doc", content });
    await indexer.indexDocument(ctx, doc.id);
    return doc.id;
  };
  const text = "The heron rollout moves every heron queue to the new cluster.\n";
  openDocId = await create(acme.ctx, openProjectId, "Heron rollout", text);
  privateDocId = await create(acme.ctx, secret.id, "Heron rollout (secret)", text);
  globexDocId = await create(globex.ctx, globexProject.id, "Heron rollout at Globex", text);
});
afterAll(async () => {
  await t?.drop();
});

function call(ctx: RequestContext, surface: ToolAgent["surface"] = "mcp"): ToolCallContext {
  return { ctx, agent: { surface, name: surface === "mcp" ? "Claude" : "DevFlow assistant" } };
}

function withToken(ctx: RequestContext, scopes: ("read" | "write")[]): RequestContext {
  return { ...ctx, actor: { ...ctx.actor, via: { kind: "api_token", tokenId: "t", scopes } } };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

const names = (ctx: RequestContext, surface: ToolAgent["surface"] = "mcp") =>
  registry.list(ctx, surface).map((tool) => tool.name);

describe("the tool registry", () => {
  it("offers write tools only to those whose role and token scope allow them, per surface", () => {
    expect(names(acme.ctx)).toEqual([
      "list_projects",
      "search_docs",
      "get_doc",
      "create_doc",
      "edit_doc",
      "ask",
      "get_dora_metrics",
      "analyze_pr",
      "release_readiness",
    ]);
    expect(names(withToken(member, ["read", "write"]))).toContain("edit_doc");
    expect(names(withToken(member, ["read"]))).toEqual([
      "list_projects",
      "search_docs",
      "get_doc",
      "ask",
      "get_dora_metrics",
      "analyze_pr",
      "release_readiness",
    ]);
    expect(names(viewer)).toEqual([
      "list_projects",
      "search_docs",
      "get_doc",
      "ask",
      "get_dora_metrics",
      "analyze_pr",
      "release_readiness",
    ]);
    // The assistant proposes edits for the person to accept; it never edits live.
    expect(names(member, "assistant")).toEqual([
      "list_projects",
      "search_docs",
      "get_doc",
      "create_doc",
      "propose_edit",
      "get_dora_metrics",
      "analyze_pr",
      "release_readiness",
    ]);
    expect(names(viewer, "assistant")).toEqual([
      "list_projects",
      "search_docs",
      "get_doc",
      "get_dora_metrics",
      "analyze_pr",
      "release_readiness",
    ]);
  });

  it("refuses a viewer's and a read-only token's writes, before anything reaches the collab service", async () => {
    const edit = { documentId: openDocId, baseVersion: 0, edits: [{ start: 0, end: 0, text: "x" }] };
    expect(await refusal(registry.call(call(viewer), "edit_doc", edit))).toMatchObject({ code: "forbidden" });
    const create = { projectId: openProjectId, title: "By a viewer" };
    expect(await refusal(registry.call(call(viewer), "create_doc", create))).toMatchObject({ code: "forbidden" });
    const byReadToken = await refusal(registry.call(call(withToken(member, ["read"])), "create_doc", create));
    expect(byReadToken).toMatchObject({ code: "forbidden", message: expect.stringContaining("read scope") });
    expect(liveEdits).toEqual([]);
  });

  it("names each bad field of the input", async () => {
    const missing = await refusal(registry.call(call(member), "create_doc", { projectId: "not-an-id" }));
    expect(missing.code).toBe("validation_failed");
    expect((missing.details as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual([
      "projectId",
      "title",
    ]);
    const pastEnd = await refusal(
      registry.call(call(member), "edit_doc", {
        documentId: openDocId,
        baseVersion: 0,
        edits: [{ start: 0, end: 10_000, text: "" }],
      }),
    );
    expect(pastEnd).toMatchObject({ code: "validation_failed", details: { issues: [{ path: "edits.0.end" }] } });
    expect(await refusal(registry.call(call(member), "drop_tables", {}))).toMatchObject({ code: "not_found" });
    // Offered on the assistant only.
    expect(await refusal(registry.call(call(member), "propose_edit", {}))).toMatchObject({ code: "not_found" });
  });

  it("reads a document with its version, and treats private projects and other organizations' ids as missing", async () => {
    const read = await registry.call(call(member), "get_doc", { documentId: openDocId });
    expect(read.output).toMatchObject({ documentId: openDocId, title: "Heron rollout", version: 0 });
    expect(read.sources).toEqual([{ documentId: openDocId, title: "Heron rollout", version: 0 }]);
    expect(await refusal(registry.call(call(member), "get_doc", { documentId: privateDocId }))).toMatchObject({
      code: "not_found",
    });
    expect(await refusal(registry.call(call(acme.ctx), "get_doc", { documentId: globexDocId }))).toMatchObject({
      code: "not_found",
    });
    const crossEdit = { documentId: globexDocId, baseVersion: 0, edits: [{ start: 0, end: 0, text: "x" }] };
    expect(await refusal(registry.call(call(acme.ctx), "edit_doc", crossEdit))).toMatchObject({ code: "not_found" });
    expect(liveEdits).toEqual([]);
  });

  it("searches only the documents the caller may read", async () => {
    const search = async (ctx: RequestContext) => {
      const result = await registry.call(call(ctx), "search_docs", { query: "heron rollout cluster" });
      return [...new Set(result.sources.map((s) => s.documentId))].sort();
    };
    expect(await search(member)).toEqual([openDocId]);
    expect(await search(acme.ctx)).toEqual([openDocId, privateDocId].sort());
    expect(await search(globex.ctx)).toEqual([globexDocId]);
    const passage = (await registry.call(call(member), "search_docs", { query: "heron" })).output as {
      passages: { documentId: string; title: string; version: number; start: number; end: number; text: string }[];
    };
    expect(passage.passages[0]).toMatchObject({ documentId: openDocId, title: "Heron rollout", version: 0, start: 0 });
  });

  it("creates documents from a template in a visible project only", async () => {
    const created = await registry.call(call(member), "create_doc", {
      projectId: openProjectId,
      title: "Queue sharding",
      templateId: "builtin:rfc",
    });
    expect(created.output).toMatchObject({ title: "Queue sharding", kind: "rfc", version: 0 });
    expect(created.diff).toContain("+# RFC: Queue sharding");
    const { documentId } = created.output as { documentId: string };
    const read = await registry.call(call(member), "get_doc", { documentId });
    expect((read.output as { text: string }).text).toMatch(/^# RFC: Queue sharding/);
    const globexProject = {
      projectId: (await createProjectsService(t.db).list(globex.ctx, { limit: 1, archived: false })).items[0]!.id,
      title: "x",
    };
    expect(await refusal(registry.call(call(acme.ctx), "create_doc", globexProject))).toMatchObject({
      code: "not_found",
    });
  });

  it("applies an edit through the live editor as an op on the base text, with a diff", async () => {
    const result = await registry.call(call(member), "edit_doc", {
      documentId: openDocId,
      baseVersion: 0,
      edits: [{ start: 4, end: 9, text: "kestrel" }],
    });
    expect(liveEdits.at(-1)).toEqual({
      documentId: openDocId,
      baseVersion: 0,
      op: [4, { d: 5 }, "kestrel"],
      caret: 11,
    });
    expect(result.output).toMatchObject({ version: 1, changed: true });
    expect(result.diff).toContain("+The kestrel rollout moves every heron queue");
  });

  it("proposes an edit without applying it", async () => {
    const result = await registry.call(call(member, "assistant"), "propose_edit", {
      documentId: openDocId,
      baseVersion: 0,
      edits: [{ start: 0, end: 3, text: "Our" }],
    });
    expect(result.diff).toContain("+Our heron rollout");
    expect(result.output).toMatchObject({ edits: [{ start: 0, end: 3, text: "Our", replaced: "The" }] });
    const doc = await createDocumentsService(t.db).get(member, openDocId);
    expect(doc.content.startsWith("The heron")).toBe(true);
  });

  it("answers through the injected assistant, and is not offered without one", async () => {
    const answered = await registry.call(call(member), "ask", { question: "What moves?" });
    expect(answered.text).toBe("You asked: What moves?");
    const bare = createToolRegistry({ db: t.db, retrieval: { search: async () => [] } });
    expect(bare.list(acme.ctx, "mcp").map((tool) => tool.name)).toEqual([
      "list_projects",
      "search_docs",
      "get_doc",
      "create_doc",
      "get_dora_metrics",
      "analyze_pr",
      "release_readiness",
    ]);
  });
});

describe("get_dora_metrics", () => {
  it("measures a project the caller can see, and treats another organization's project as missing", async () => {
    const project = await createProjectsService(t.db).create(acme.ctx, { name: "Kestrel", description: "" });
    const repository = await t.db.withTenant(acme.ctx, (tx) =>
      tx.repository.create({
        data: {
          organizationId: acme.organization.id,
          projectId: project.id,
          externalId: "7001",
          fullName: "acme/kestrel",
        },
      }),
    );
    const finishedAt = new Date(Date.now() - 2 * 86_400_000);
    await t.db.withTenant(acme.ctx, (tx) =>
      tx.deployment.create({
        data: {
          organizationId: acme.organization.id,
          repositoryId: repository.id,
          externalId: "1",
          environment: "production",
          sha: "a".repeat(40),
          status: "success",
          createdAt: finishedAt,
          finishedAt,
        },
      }),
    );
    const result = await registry.call(call(viewer), "get_dora_metrics", { projectId: project.id, days: 7 });
    expect(result.output).toMatchObject({
      repositoryCount: 1,
      deploymentFrequency: { deployments: 1 },
      counted: { deployments: 1 },
    });
    expect(result.text).toContain("Deployment frequency: 1 deployments");

    const fromGlobex = await refusal(registry.call(call(globex.ctx), "get_dora_metrics", { projectId: project.id }));
    expect(fromGlobex).toMatchObject({ code: "not_found" });
  });
});

describe("release_readiness", () => {
  it("assesses a milestone of a project the caller can see, and treats another organization's project as missing", async () => {
    const project = await createProjectsService(t.db).create(acme.ctx, { name: "Osprey", description: "" });
    await t.db.withTenant(acme.ctx, async (tx) => {
      const repository = await tx.repository.create({
        data: {
          organizationId: acme.organization.id,
          projectId: project.id,
          externalId: "7101",
          fullName: "acme/osprey",
        },
      });
      await tx.issue.create({
        data: {
          organizationId: acme.organization.id,
          repositoryId: repository.id,
          number: 1,
          title: "Crash on save",
          state: "open",
          labels: ["blocker"],
          openedAt: new Date(),
          sourceUpdatedAt: new Date(),
          milestone: "v2.0",
        },
      });
    });
    const result = await registry.call(call(viewer), "release_readiness", { projectId: project.id, milestone: "v2.0" });
    expect(result.output).toMatchObject({ milestone: "v2.0", overall: "fail" });
    expect(result.text).toContain("open_blockers: fail");

    const fromGlobex = await refusal(
      registry.call(call(globex.ctx), "release_readiness", { projectId: project.id, milestone: "v2.0" }),
    );
    expect(fromGlobex).toMatchObject({ code: "not_found" });
  });
});

describe("analyze_pr", () => {
  it("reads a pull request's latest analysis in the caller's organization only", async () => {
    const repository = await t.db.withTenant(acme.ctx, (tx) =>
      tx.repository.create({
        data: { organizationId: acme.organization.id, externalId: "7002", fullName: "acme/heron" },
      }),
    );
    const analysis = {
      v: 1,
      headSha: "b".repeat(40),
      analyzedAt: new Date().toISOString(),
      summary: {
        totalFiles: 2,
        analyzedFiles: 2,
        unscannedFiles: 0,
        additions: 10,
        deletions: 1,
        commits: 1,
        groups: [],
        directories: ["src"],
      },
      risk: {
        score: 40,
        level: "medium",
        reasons: [{ rule: "no-tests", points: 15, detail: "source changed without tests" }],
      },
      effort: { size: "S", reviewMinutes: 10, basis: "11 changed lines" },
      findings: [],
      omittedFindings: 0,
      securityConcerns: [],
      missingTests: ["src"],
      docs: [],
      compliance: [],
      reviewers: [],
      gates: [{ gate: "maxRisk", outcome: "passed", reason: "40 ≤ 70" }],
      conclusion: "success",
      commentId: 1,
      checkRunId: 2,
    };
    await t.db.withTenant(acme.ctx, (tx) =>
      tx.pullRequest.create({
        data: {
          organizationId: acme.organization.id,
          repositoryId: repository.id,
          number: 7,
          title: "Move heron queues",
          openedAt: new Date(),
          headSha: "b".repeat(40),
          analysis,
        },
      }),
    );
    const read = await registry.call(call(viewer), "analyze_pr", { repository: "acme/heron", number: 7 });
    expect(read.output).toMatchObject({ found: true, analysis: { risk: { score: 40 }, conclusion: "success" } });
    expect(read.text).toContain("Risk 40/100 (medium): source changed without tests (+15)");

    const unknown = await registry.call(call(viewer), "analyze_pr", { repository: "acme/heron", number: 8 });
    expect(unknown.output).toEqual({ found: false });
    const fromGlobex = await registry.call(call(globex.ctx), "analyze_pr", { repository: "acme/heron", number: 7 });
    expect(fromGlobex.output).toEqual({ found: false });
  });
});

describe("search_docs over uploaded files", () => {
  /** A ready file and its passages, as the file processor leaves them. */
  async function uploadedFile(ctx: RequestContext, projectId: string, name: string, text: string): Promise<string> {
    const id = randomUUID();
    const embedder = createOfflineEmbedder();
    const drafts = chunkMarkdown(text, { title: name });
    const vectors = await embedder.embed(drafts.map((c) => `${c.heading}\n${c.content}`));
    await t.db.withTenant(ctx, async (tx) => {
      await tx.file.create({
        data: {
          id,
          organizationId: ctx.organizationId,
          projectId,
          name,
          contentType: "text/plain",
          sizeBytes: BigInt(text.length),
          sha256: "0".repeat(64),
          storageKey: `${ctx.organizationId}/files/${id}`,
          kind: "text",
          status: "ready",
          extractedText: text,
        },
      });
      await createPgvectorStore().replaceSource(
        tx,
        { organizationId: ctx.organizationId, projectId, sourceType: "file", sourceId: id, sourceVersion: 1 },
        drafts.map((draft, i) => ({ ...draft, embedding: vectors[i] ?? null })),
        embedder.model,
      );
    });
    return id;
  }

  it("searches files only when asked, names them by file id (never as documents), and keeps to what the caller may read", async () => {
    const text = "The heron rollout checklist: drain every heron queue before the cutover.";
    const fileId = await uploadedFile(acme.ctx, openProjectId, "heron-checklist.txt", text);
    const search = (ctx: RequestContext, sourceTypes?: string[]) =>
      registry.call(call(ctx), "search_docs", {
        query: "heron checklist cutover",
        ...(sourceTypes && { sourceTypes }),
      });
    type Passages = { passages: { sourceType: string; documentId?: string; fileId?: string; title: string }[] };

    const byDefault = (await search(member)).output as Passages;
    expect(byDefault.passages.every((p) => p.sourceType === "document")).toBe(true);

    const files = await search(member, ["file"]);
    expect((files.output as Passages).passages).toEqual([
      expect.objectContaining({ sourceType: "file", fileId, title: "heron-checklist.txt", version: 1 }),
    ]);
    expect((files.output as Passages).passages[0]).not.toHaveProperty("documentId");
    expect(files.text).toContain(`uploaded file "heron-checklist.txt", file ${fileId}`);
    // The ledger records documents; a file's id would read as a document that does not exist.
    expect(files.sources).toEqual([]);

    const both = (await search(member, ["document", "file"])).output as Passages;
    expect(new Set(both.passages.map((p) => p.sourceType))).toEqual(new Set(["document", "file"]));
    expect(((await search(globex.ctx, ["file"])).output as Passages).passages).toEqual([]);

    const bad = await refusal(search(member, ["issue"]));
    expect(bad).toMatchObject({ code: "validation_failed", details: { issues: [{ path: "sourceTypes.0" }] } });
  });
});
