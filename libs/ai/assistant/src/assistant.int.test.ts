import { createExtractiveAnswerer, type ChatModel } from "@devflow/ai-llm";
import { createDocumentIndexer, createOfflineEmbedder, createRetrievalService } from "@devflow/ai-rag";
import { createToolRegistry } from "@devflow/ai-tools";
import type { RequestContext } from "@devflow/auth";
import { apply, type TextOp } from "@devflow/collab-ot";
import type { AssistantStreamEvent, CitationDto } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createAiActivityService } from "@devflow/domain-ai-activity";
import { createChatService } from "@devflow/domain-chat";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAskAnswerer } from "./ask-answerer";
import { createAssistant } from "./assistant.service";
import { createCitationChecker } from "./check-citations";
import { scriptedChatModel } from "./testing/scripted-chat-model";

const CACHE = [
  "# Cache policy",
  "",
  "## Expiry",
  "",
  "Cache entries expire after one hour. Writes purge the key immediately so readers never see stale prices.",
  "",
  "## Metrics",
  "",
  "The hit ratio is exported to Prometheus every minute.",
  "",
].join("\n");

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let mia: RequestContext;
let projectId: string;
let cacheDocId: string;
const embedder = createOfflineEmbedder();
let documents: ReturnType<typeof createDocumentsService>;
let chat: ReturnType<typeof createChatService>;

beforeAll(async () => {
  t = await createTestDatabase();
  documents = createDocumentsService(t.db);
  chat = createChatService(t.db);
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  mia = await acme.addMember("member", "Mia");
  projectId = (await createProjectsService(t.db).create(acme.ctx, { name: "Platform", description: "Core" })).id;
  cacheDocId = await indexedDoc("Cache policy", CACHE);
  // PGlite's first start takes a while on a busy machine.
}, 120_000);
afterAll(async () => {
  await t?.drop();
});

async function indexedDoc(title: string, content: string): Promise<string> {
  const doc = await documents.create(acme.ctx, projectId, { title, kind: "design_doc", content });
  await createDocumentIndexer(t.db, { embedder }).indexDocument(acme.ctx, doc.id);
  return doc.id;
}

function assistantWith(model: ChatModel) {
  const retrieval = createRetrievalService(t.db, { embedder });
  return createAssistant({
    model,
    chat,
    retrieval,
    documents,
    projects: createProjectsService(t.db),
    tools: createToolRegistry({ db: t.db, retrieval }),
    activity: createAiActivityService(t.db),
  });
}

async function ask(model: ChatModel, question: string, options: { signal?: AbortSignal; context?: object } = {}) {
  const conversation = await chat.create(mia, {});
  const pending = await assistantWith(model).ask(mia, conversation.id, { content: question, ...options.context });
  const events: AssistantStreamEvent[] = [];
  for await (const event of pending.stream(options.signal ?? new AbortController().signal)) events.push(event);
  return { conversation, events };
}

const citationsOf = (events: AssistantStreamEvent[]): CitationDto[] =>
  events.flatMap((e) => (e.event === "citations" ? e.data.citations : []));

/** Commits ops as the collab engine does: log rows and the document's head in one transaction. */
async function edit(documentId: string, ...ops: TextOp[]): Promise<string> {
  return t.db.withTenant(acme.ctx, async (tx) => {
    const head = await tx.document.findUniqueOrThrow({
      where: { id: documentId },
      select: { content: true, version: true },
    });
    let content = head.content;
    for (const [i, op] of ops.entries()) {
      content = apply(content, op);
      const version = head.version + i + 1;
      await tx.documentOperation.create({
        data: {
          organizationId: acme.organization.id,
          documentId,
          version,
          op: op as unknown as string[],
          clientId: "test",
          clientSeq: version,
        },
      });
    }
    await tx.document.update({ where: { id: documentId }, data: { content, version: head.version + ops.length } });
    return content;
  });
}

describe("answering with the extractive answerer", () => {
  it("streams an answer that cites real document versions and ranges, stores it and records the call", async () => {
    const { conversation, events } = await ask(createExtractiveAnswerer(), "When do cache entries expire?");
    const text = events.flatMap((e) => (e.event === "delta" ? [e.data.text] : [])).join("");
    expect(text).toContain("No language model is configured");
    const citations = citationsOf(events);
    expect(citations.length).toBeGreaterThan(0);
    expect(citations[0]).toMatchObject({ documentId: cacheDocId, title: "Cache policy", version: 0 });
    for (const c of citations) {
      if (c.sourceType === "file") throw new Error(`Cited a file, ${c.fileId}, where only documents exist`);
      const atVersion = await documents.history.textAt(mia, c.documentId, c.version);
      expect(atVersion.content.slice(c.start, c.end)).toBe(c.quote);
    }
    expect(citations.some((c) => c.quote.includes("expire after one hour"))).toBe(true);

    const done = events.at(-1);
    expect(done).toMatchObject({ event: "done", data: { model: "extractive-quotes", generative: false } });
    const stored = await chat.get(mia, conversation.id);
    expect(stored.title).toBe("When do cache entries expire?");
    expect(stored.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(stored.messages[1]).toMatchObject({ citations, model: "extractive-quotes" });
    if (done?.event === "done") expect(stored.messages[1]!.id).toBe(done.data.messageId);

    const activity = await t.db.withTenant(acme.ctx, (tx) =>
      tx.aiActivity.findMany({ where: { userId: mia.actor.userId, surface: "assistant" } }),
    );
    expect(activity.at(-1)).toMatchObject({ provider: "extractive", model: "extractive-quotes", status: "ok" });
  });

  it("cites the section of the open document around the person's selection", async () => {
    const from = CACHE.indexOf("hit ratio");
    const { events } = await ask(createExtractiveAnswerer(), "How is the hit ratio exported?", {
      context: { context: { documentId: cacheDocId, selection: { from, to: from + 9, text: "hit ratio" } } },
    });
    // The open document comes first, a source per section: the answer cites the section it quotes.
    const [first] = citationsOf(events);
    expect(first).toMatchObject({ documentId: cacheDocId, version: 0, quote: expect.stringMatching(/^## Metrics/) });
    expect(CACHE.slice(first!.start, first!.end)).toBe(first!.quote);
  });

  it("answers the MCP ask tool whole, with citations, and records it as that surface's call", async () => {
    const retrieval = createRetrievalService(t.db, { embedder });
    const answer = createAskAnswerer({
      model: createExtractiveAnswerer(),
      retrieval,
      documents,
      projects: createProjectsService(t.db),
      activity: createAiActivityService(t.db),
    });
    const result = await answer(
      { ctx: mia, agent: { surface: "mcp", name: "Claude" } },
      { question: "cache entries expire", projectId },
    );
    expect(result.citations[0]).toMatchObject({ documentId: cacheDocId, version: 0 });
    expect(result.text).toMatch(/\[1\]/);
    const rows = await t.db.withTenant(acme.ctx, (tx) => tx.aiActivity.findMany({ where: { tool: "ask" } }));
    expect(rows).toEqual([expect.objectContaining({ surface: "mcp", status: "ok", projectId })]);
  });
});

describe("answering with a model that calls tools", () => {
  it("runs the workspace tools as the person and shows a proposed edit without applying it", async () => {
    const start = CACHE.indexOf("one hour");
    const model = scriptedChatModel([
      [{ call: { id: "s1", name: "search_docs", arguments: { query: "cache expiry" } } }],
      [
        {
          call: {
            id: "p1",
            name: "propose_edit",
            arguments: {
              documentId: cacheDocId,
              baseVersion: 0,
              edits: [{ start, end: start + 8, text: "two hours" }],
            },
          },
        },
      ],
      ["Entries expire after one hour [1]; I proposed two hours. [7]"],
    ]);
    const { events } = await ask(model, "Should cache entries live longer?");
    const tools = events.flatMap((e) => (e.event === "tool" ? [e.data] : []));
    expect(tools.map((x) => [x.name, x.status])).toEqual([
      ["search_docs", "running"],
      ["search_docs", "ok"],
      ["propose_edit", "running"],
      ["propose_edit", "ok"],
    ]);
    expect(tools[3]!.proposal).toMatchObject({
      documentId: cacheDocId,
      baseVersion: 0,
      edits: [
        {
          start,
          end: start + 8,
          text: "two hours",
          before: "one hour",
          prefix: expect.stringMatching(/expire after $/),
        },
      ],
    });
    expect(tools[3]!.proposal!.diff).toContain("+Cache entries expire after two hours.");
    expect((await documents.get(mia, cacheDocId)).content).toBe(CACHE);
    // [7] names no passage: dropped from the stored answer and its citations.
    const stored = (await chat.recentMessages(mia, (await chat.list(mia, { limit: 1 })).items[0]!.id, 2))[1]!;
    expect(stored.content).toBe("Entries expire after one hour [1]; I proposed two hours.");
    expect(stored.citations.map((c) => c.ref)).toEqual([1]);
    expect(stored.tools.map((x) => x.name)).toEqual(["search_docs", "propose_edit"]);
  });

  it("stops when the person goes away: no answer stored, the call recorded as cancelled", async () => {
    const controller = new AbortController();
    const model = scriptedChatModel([["a", "b", "c", "d", "e"]]);
    const conversation = await chat.create(mia, {});
    const pending = await assistantWith(model).ask(mia, conversation.id, { content: "slow question" });
    const events: AssistantStreamEvent[] = [];
    for await (const event of pending.stream(controller.signal)) {
      events.push(event);
      if (events.length === 2) controller.abort();
    }
    expect(events.every((e) => e.event === "delta")).toBe(true);
    expect((await chat.get(mia, conversation.id)).messages.map((m) => m.role)).toEqual(["user"]);
    const [row] = await t.db.withTenant(acme.ctx, (tx) =>
      tx.aiActivity.findMany({ where: { model: "scripted-model", errorCode: "cancelled" } }),
    );
    expect(row).toMatchObject({ status: "error", surface: "assistant" });
  });
});

describe("checking citations", () => {
  const check = () => createCitationChecker({ db: t.db, documents }, { opChunk: 2 });

  it("moves a cited range over later edits and says whether its text changed", async () => {
    const docId = await indexedDoc("Rate limits", "# Limits\n\nEach token may send 100 requests per minute.\n");
    const text0 = (await documents.get(mia, docId)).content;
    const cited = {
      sourceType: "document" as const,
      documentId: docId,
      version: 0,
      start: text0.indexOf("Each"),
      end: text0.indexOf("minute.") + 7,
    };
    const text2 = await edit(docId, ["Intro.\n"], [7, "More intro.\n"]);
    const [moved] = await check()(mia, [cited]);
    expect(moved).toMatchObject({ status: "current", changed: false, current: { version: 2 } });
    expect(text2.slice(moved!.current!.start, moved!.current!.end)).toBe(text0.slice(cited.start, cited.end));

    const at = text2.indexOf("100");
    const text3 = await edit(docId, [at, { d: 3 }, "250"]);
    const [changed] = await check()(mia, [cited]);
    expect(changed).toMatchObject({ status: "changed", changed: true, current: { version: 3 } });
    expect(text3.slice(changed!.current!.start, changed!.current!.end)).toContain("250 requests");
  });

  it("finds a passage by its text when the versions between were written without ops", async () => {
    const original = "Retries back off exponentially up to five minutes.";
    const docId = await indexedDoc("Retries", original);
    // A version written as a snapshot, as an import does, with no ops to replay from v0.
    await t.db.withTenant(acme.ctx, async (tx) => {
      const content = `New intro.\n\n${original}`;
      await tx.document.update({ where: { id: docId }, data: { content, version: 1 } });
      await tx.documentSnapshot.create({
        data: { organizationId: acme.organization.id, documentId: docId, version: 1, content },
      });
    });
    const [result] = await check()(mia, [
      { sourceType: "document", documentId: docId, version: 0, start: 0, end: original.length },
    ]);
    expect(result).toMatchObject({
      status: "current",
      current: { version: 1, start: 12, end: 12 + original.length },
    });
  });

  it("says missing, never leaking, for a document of another organization or a version that never was", async () => {
    const results = await check()(globex.ctx, [
      { sourceType: "document", documentId: cacheDocId, version: 0, start: 0, end: 5 },
    ]);
    expect(results).toEqual([expect.objectContaining({ status: "missing", current: null })]);
    const [future] = await check()(mia, [
      { sourceType: "document", documentId: cacheDocId, version: 99, start: 0, end: 5 },
    ]);
    expect(future!.status).toBe("missing");
  });
});

describe("tenant isolation", () => {
  it("does not let another organization ask in a conversation, or retrieve another organization's passages", async () => {
    const conversation = await chat.create(mia, {});
    await expect(
      assistantWith(createExtractiveAnswerer()).ask(globex.ctx, conversation.id, { content: "hi" }),
    ).rejects.toMatchObject({ code: "not_found" });
    const own = await chat.create(globex.ctx, {});
    const pending = await assistantWith(createExtractiveAnswerer()).ask(globex.ctx, own.id, {
      content: "When do cache entries expire?",
      context: { documentId: cacheDocId },
    });
    const events: AssistantStreamEvent[] = [];
    for await (const event of pending.stream(new AbortController().signal)) events.push(event);
    expect(citationsOf(events)).toEqual([]);
    expect(JSON.stringify(events)).not.toContain("one hour");
  });
});
