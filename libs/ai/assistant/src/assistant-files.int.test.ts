import { randomUUID } from "node:crypto";
import { createExtractiveAnswerer } from "@devflow/ai-llm";
import { chunkMarkdown, createOfflineEmbedder, createPgvectorStore, createRetrievalService } from "@devflow/ai-rag";
import { createToolRegistry } from "@devflow/ai-tools";
import type { RequestContext } from "@devflow/auth";
import { ChatMessageSchema, type AssistantStreamEvent } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createChatService } from "@devflow/domain-chat";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAskAnswerer } from "./ask-answerer";
import { createAssistant } from "./assistant.service";
import { createCitationChecker } from "./check-citations";

/**
 * Uploaded files are cited like documents: a retrieved file passage becomes a citation with
 * `sourceType: "file"` and the file's id, stored with the answer, and checked against the file's
 * extracted text (a file has one version). Files are written as the file processor writes them.
 */
const RUNBOOK = [
  "# Okapi workers",
  "",
  "## Restarts",
  "",
  "Restart the okapi workers one at a time so the queue never stops draining.",
  "",
  "## Alerts",
  "",
  "Page the on-call engineer when the okapi backlog passes ten thousand jobs.",
  "",
].join("\n");

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let mia: RequestContext;
let projectId: string;
let privateProjectId: string;
let runbookId: string;
const embedder = createOfflineEmbedder();
let chat: ReturnType<typeof createChatService>;

beforeAll(async () => {
  t = await createTestDatabase();
  chat = createChatService(t.db);
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  mia = await acme.addMember("member", "Mia");
  const projects = createProjectsService(t.db);
  projectId = (await projects.create(acme.ctx, { name: "Platform", description: "Core" })).id;
  privateProjectId = (await projects.create(acme.ctx, { name: "Secret", description: "", visibility: "private" })).id;
  runbookId = await uploadedFile("okapi-runbook.md", RUNBOOK);
  // PGlite's first start takes a while on a busy machine.
}, 120_000);
afterAll(async () => {
  await t?.drop();
});

/** A ready file's row and its passages, as the file processor leaves them. */
async function uploadedFile(name: string, text: string, options: { project?: string; isArchived?: boolean } = {}) {
  const id = randomUUID();
  const drafts = chunkMarkdown(text, { title: name });
  const vectors = await embedder.embed(drafts.map((c) => `${c.heading}\n${c.content}`));
  await t.db.withTenant(acme.ctx, async (tx) => {
    await tx.file.create({
      data: {
        id,
        organizationId: acme.organization.id,
        projectId: options.project ?? projectId,
        name,
        contentType: "text/markdown",
        sizeBytes: BigInt(text.length),
        sha256: "0".repeat(64),
        storageKey: `${acme.organization.id}/files/${id}`,
        kind: "markdown",
        status: "ready",
        extractedText: text,
        ...(options.isArchived && { archivedAt: new Date() }),
      },
    });
    await createPgvectorStore().replaceSource(
      tx,
      {
        organizationId: acme.organization.id,
        projectId: options.project ?? projectId,
        sourceType: "file",
        sourceId: id,
        sourceVersion: 1,
      },
      drafts.map((draft, i) => ({ ...draft, embedding: vectors[i] ?? null })),
      embedder.model,
    );
  });
  return id;
}

const sources = () => {
  const retrieval = createRetrievalService(t.db, { embedder });
  return {
    retrieval,
    documents: createDocumentsService(t.db),
    projects: createProjectsService(t.db),
  };
};

const checker = () => createCitationChecker({ db: t.db, documents: createDocumentsService(t.db) });

describe("answers citing uploaded files", () => {
  it("cites a file passage by the file's id and name, stores it, and the citation checks as current", async () => {
    const assistant = createAssistant({ model: createExtractiveAnswerer(), chat, ...sources() });
    const conversation = await chat.create(mia, {});
    const pending = await assistant.ask(mia, conversation.id, { content: "How should I restart the okapi workers?" });
    const events: AssistantStreamEvent[] = [];
    for await (const event of pending.stream(new AbortController().signal)) events.push(event);
    const citations = events.flatMap((e) => (e.event === "citations" ? e.data.citations : []));
    const cited = citations.find((c) => c.sourceType === "file");
    expect(cited).toMatchObject({ sourceType: "file", fileId: runbookId, title: "okapi-runbook.md", version: 1 });
    expect(cited).not.toHaveProperty("documentId");
    expect(RUNBOOK.slice(cited!.start, cited!.end)).toBe(cited!.quote);
    expect(cited!.quote).toContain("one at a time");

    const stored = await chat.get(mia, conversation.id);
    expect(stored.messages[1]!.citations).toContainEqual(cited);
    expect(ChatMessageSchema.parse(stored.messages[1]).citations).toContainEqual(cited);

    const [check] = await checker()(mia, [
      { sourceType: "file", fileId: runbookId, version: 1, start: cited!.start, end: cited!.end },
    ]);
    expect(check).toEqual({
      sourceType: "file",
      fileId: runbookId,
      version: 1,
      start: cited!.start,
      end: cited!.end,
      status: "current",
      changed: false,
      current: { version: 1, start: cited!.start, end: cited!.end },
    });
  });

  it("answers ask (MCP) with file citations, and records only documents as the ledger's sources", async () => {
    const deps = sources();
    const registry = createToolRegistry({
      db: t.db,
      retrieval: deps.retrieval,
      answer: createAskAnswerer({ model: createExtractiveAnswerer(), ...deps }),
    });
    const result = await registry.call({ ctx: mia, agent: { surface: "mcp", name: "Claude" } }, "ask", {
      question: "When do we page the on-call engineer about the okapi backlog?",
    });
    const output = result.output as { citations: { sourceType: string; fileId?: string }[] };
    expect(output.citations).toContainEqual(expect.objectContaining({ sourceType: "file", fileId: runbookId }));
    expect(result.text).toContain(`okapi-runbook.md (uploaded file ${runbookId})`);
    expect(result.sources).toEqual([]);
  });
});

describe("checking file citations", () => {
  const range = (fileId: string, start = 0, end = 8, version = 1) => ({
    sourceType: "file" as const,
    fileId,
    version,
    start,
    end,
  });

  it("says missing for an archived file, a range past the text, or a version a file never has", async () => {
    const archived = await uploadedFile("old-runbook.md", RUNBOOK, { isArchived: true });
    const results = await checker()(mia, [
      range(archived),
      range(runbookId, 0, RUNBOOK.length + 1),
      range(runbookId, 0, 8, 2),
      range(runbookId, 0, RUNBOOK.length),
    ]);
    expect(results.map((r) => r.status)).toEqual(["missing", "missing", "missing", "current"]);
  });

  it("says missing, never leaking, for a file in a private project the reader is not on, or of another organization", async () => {
    const secret = await uploadedFile("secret-runbook.md", RUNBOOK, { project: privateProjectId });
    expect((await checker()(acme.ctx, [range(secret)]))[0]!.status).toBe("current");
    expect(await checker()(mia, [range(secret)])).toEqual([
      { ...range(secret), status: "missing", changed: true, current: null },
    ]);
    expect((await checker()(globex.ctx, [range(runbookId)]))[0]!.status).toBe("missing");
  });
});
