import type { RequestContext } from "@devflow/auth";
import { SearchQuerySchema, SearchResponseSchema } from "@devflow/contracts";
import { AppError, notFound } from "@devflow/util-core";
import { describe, expect, it } from "vitest";
import type { RankedPassage } from "./group-passages";
import { createWorkspaceSearch, type PassageRetrieval, type ProjectNames } from "./workspace-search";

const ORG = "00000000-0000-4000-8000-000000000001";
const PROJECT = "00000000-0000-4000-8000-0000000000aa";
const GONE_PROJECT = "00000000-0000-4000-8000-0000000000bb";
const DOC = "00000000-0000-4000-8000-00000000000d";
const OTHER_DOC = "00000000-0000-4000-8000-00000000000e";

const session: RequestContext = { organizationId: ORG, actor: { userId: "u1", role: "member" }, requestId: "r1" };
const token = (scopes: ("read" | "write" | "admin")[]): RequestContext => ({
  ...session,
  actor: { userId: "u1", role: "member", via: { kind: "api_token", tokenId: "t1", scopes } },
});

function passage(sourceId: string, projectId: string, score: number): RankedPassage {
  const content = "Webhooks are retried with exponential backoff.";
  return {
    chunkId: `${sourceId}:${score}`,
    sourceType: "document",
    sourceId,
    sourceVersion: 3,
    projectId,
    title: "Webhook delivery",
    heading: null,
    startOffset: 0,
    endOffset: content.length,
    content,
    score,
    highlights: [{ start: 0, end: 8 }],
  };
}

function recordingRetrieval(passages: RankedPassage[]) {
  const calls: Parameters<PassageRetrieval["search"]>[] = [];
  const retrieval: PassageRetrieval = {
    async search(...args) {
      calls.push(args);
      return passages;
    },
  };
  return { retrieval, calls };
}

const projects: ProjectNames = {
  async get(_ctx, projectId) {
    if (projectId === PROJECT) return { name: "Platform" };
    throw notFound("Project", projectId);
  },
};

const retrievalInfo = { embedder: "offline-hashing-384", semantic: false };

describe("workspace search", () => {
  it("asks retrieval for documents in the caller's context and answers in the contract's shape", async () => {
    const { retrieval, calls } = recordingRetrieval([
      passage(DOC, PROJECT, 0.9),
      passage(OTHER_DOC, GONE_PROJECT, 0.5),
    ]);
    const search = createWorkspaceSearch({ retrieval, projects, retrievalInfo, maxPassages: 100 });
    const answer = await search.search(
      session,
      SearchQuerySchema.parse({ q: "  webhook  ", limit: "5", projectId: PROJECT }),
    );

    expect(calls).toHaveLength(1);
    const [ctx, input] = calls[0]!;
    expect(ctx).toBe(session);
    expect(input).toEqual({ query: "webhook", limit: 15, projectId: PROJECT, sourceTypes: ["document"] });

    expect(SearchResponseSchema.parse(answer)).toEqual(answer);
    expect(answer.retrieval).toEqual(retrievalInfo);
    expect(answer.results.map((r) => [r.documentId, r.projectName])).toEqual([
      [DOC, "Platform"],
      [OTHER_DOC, null],
    ]);
    expect(answer.results[0]!.titleHighlights).toEqual([{ start: 0, end: 7 }]);
  });

  it("lets any API token search (every scope includes read) and refuses a SCIM client before searching", async () => {
    const { retrieval, calls } = recordingRetrieval([passage(DOC, PROJECT, 1)]);
    const search = createWorkspaceSearch({ retrieval, projects, retrievalInfo, maxPassages: 100 });
    const query = SearchQuerySchema.parse({ q: "webhook" });
    await expect(search.search(token(["write"]), query)).resolves.toBeDefined();
    expect(calls).toHaveLength(1);

    const readless = { ...session, actor: { ...session.actor, via: { kind: "scim" as const } } };
    await expect(search.search(readless, query)).rejects.toMatchObject({ code: "forbidden" });
    expect(calls).toHaveLength(1);
  });

  it("passes on failures other than a project it cannot name", async () => {
    const { retrieval } = recordingRetrieval([passage(DOC, PROJECT, 1)]);
    const broken: ProjectNames = {
      async get() {
        throw new AppError("internal", "database went away");
      },
    };
    const search = createWorkspaceSearch({ retrieval, projects: broken, retrievalInfo, maxPassages: 100 });
    await expect(search.search(session, SearchQuerySchema.parse({ q: "webhook" }))).rejects.toMatchObject({
      code: "internal",
    });
  });

  it("never asks retrieval for more passages than it returns", async () => {
    const { retrieval, calls } = recordingRetrieval([]);
    const search = createWorkspaceSearch({ retrieval, projects, retrievalInfo, maxPassages: 100 });
    const answer = await search.search(session, SearchQuerySchema.parse({ q: "webhook", limit: "50" }));
    expect(calls[0]![1].limit).toBe(100);
    expect(answer.results).toEqual([]);
  });
});

describe("SearchQuerySchema", () => {
  it("trims the query and defaults the limit", () => {
    expect(SearchQuerySchema.parse({ q: "  lease  " })).toEqual({ q: "lease", limit: 20 });
  });

  it.each([
    [{ q: "   " }],
    [{ q: "x".repeat(501) }],
    [{ q: "x", limit: "0" }],
    [{ q: "x", limit: "51" }],
    [{ q: "x", limit: "2.5" }],
    [{ q: "x", projectId: "not-a-uuid" }],
    [{}],
  ])("rejects %j", (input) => {
    expect(SearchQuerySchema.safeParse(input).success).toBe(false);
  });
});
