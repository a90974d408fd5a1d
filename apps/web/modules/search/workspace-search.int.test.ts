import { randomInt } from "node:crypto";
import {
  createDocumentIndexer,
  createOfflineEmbedder,
  createRetrievalService,
  SEARCH_LIMIT_MAX,
} from "@devflow/ai-rag";
import type { RequestContext } from "@devflow/auth";
import {
  CreateDocumentInputSchema,
  CreateProjectInputSchema,
  SearchQuerySchema,
  SearchResponseSchema,
} from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkspaceSearch, type WorkspaceSearch } from "./workspace-search";

/**
 * Workspace search over the real retrieval index, as the web app wires it: documents indexed by the
 * same indexer apps/ai runs, searched in each caller's context. Two organizations and a private
 * project hold documents with the same word; each caller sees exactly what they may read.
 */

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let acmeMember: RequestContext;
let search: WorkspaceSearch;
const word = `zephyr${Array.from({ length: 8 }, () => String.fromCharCode(97 + randomInt(26))).join("")}`;
const content = [
  "# Webhook delivery",
  "",
  "Deliveries leave the worker once an event is recorded.",
  "",
  "## Retries",
  "",
  `A failed delivery is retried by the ${word} relay with exponential backoff.`,
  "",
].join("\n");
const docs: Record<"open" | "secret" | "globex", { id: string; projectId: string }> = {} as never;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  acmeMember = await acme.addMember("member");
  const projects = createProjectsService(t.db);
  const documents = createDocumentsService(t.db);
  const embedder = createOfflineEmbedder();
  const indexer = createDocumentIndexer(t.db, { embedder });

  async function write(org: OrganizationFixture, projectName: string, visibility: "organization" | "private") {
    const project = await projects.create(org.ctx, CreateProjectInputSchema.parse({ name: projectName, visibility }));
    const doc = await documents.create(
      org.ctx,
      project.id,
      CreateDocumentInputSchema.parse({ title: `${projectName} delivery plan`, content }),
    );
    expect((await indexer.indexDocument(org.ctx, doc.id)).status).toBe("indexed");
    return { id: doc.id, projectId: project.id };
  }
  docs.open = await write(acme, "Platform", "organization");
  docs.secret = await write(acme, "Payroll", "private");
  docs.globex = await write(globex, "Globex platform", "organization");

  const retrieval = createRetrievalService(t.db, { embedder });
  search = createWorkspaceSearch({
    retrieval,
    projects,
    retrievalInfo: { embedder: retrieval.embedder.model, semantic: retrieval.embedder.semantic },
    maxPassages: SEARCH_LIMIT_MAX,
  });
});
afterAll(async () => {
  await t?.drop();
});

const ids = (answer: { results: { documentId: string }[] }) => answer.results.map((r) => r.documentId).sort();

describe("workspace search", () => {
  it("finds the passage with the word, grouped under its document and project, in the contract's shape", async () => {
    const answer = SearchResponseSchema.parse(await search.search(acme.ctx, SearchQuerySchema.parse({ q: word })));
    expect(ids(answer)).toEqual([docs.open.id, docs.secret.id].sort());
    const open = answer.results.find((r) => r.documentId === docs.open.id)!;
    expect(open.projectName).toBe("Platform");
    expect(open.title).toBe("Platform delivery plan");
    const [passage] = open.passages;
    expect(content.slice(passage!.startOffset, passage!.endOffset)).toContain(word);
    expect(passage!.highlights.map((h) => passage!.snippet.slice(h.start, h.end).toLowerCase())).toContain(word);
    expect(answer.retrieval).toEqual({ embedder: "offline-hashing-384", semantic: false });
  });

  it("does not return a private project's document to a member without access", async () => {
    const answer = await search.search(acmeMember, SearchQuerySchema.parse({ q: word }));
    expect(ids(answer)).toEqual([docs.open.id]);
  });

  it("does not return rows from another tenant", async () => {
    expect(ids(await search.search(globex.ctx, SearchQuerySchema.parse({ q: word })))).toEqual([docs.globex.id]);
    const inAcmeProject = await search.search(
      globex.ctx,
      SearchQuerySchema.parse({ q: word, projectId: docs.open.projectId }),
    );
    expect(inAcmeProject.results).toEqual([]);
  });

  it("keeps to one project when asked", async () => {
    const answer = await search.search(
      acme.ctx,
      SearchQuerySchema.parse({ q: word, projectId: docs.secret.projectId }),
    );
    expect(ids(answer)).toEqual([docs.secret.id]);
  });

  it("answers a query that matches nothing with no results", async () => {
    // Nothing in common with the corpus, not even character trigrams: the offline embedder
    // matches near-spellings on purpose, so "<word>missing" would rightly find <word>.
    const answer = await search.search(acme.ctx, SearchQuerySchema.parse({ q: "qxjvz kwpfy" }));
    expect(answer.results).toEqual([]);
  });
});
