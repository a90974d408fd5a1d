import { randomUUID } from "node:crypto";
import { createDocumentIndexer, createOfflineEmbedder } from "@devflow/ai-rag";
import {
  can,
  createServiceTokenSigner,
  generateServiceTokenKeyPair,
  SERVICE_TOKEN_ISSUER,
  type RequestContext,
  type ServiceTokenSigner,
} from "@devflow/auth";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createApiTokensService } from "@devflow/domain-api-tokens";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { createLogger } from "@devflow/observability";
import type { AppServer } from "@devflow/observability/service";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { forbidden } from "@devflow/util-core";
import { AiConfigSchema, loadConfig } from "@devflow/util-config";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, afterEach, beforeAll } from "vitest";
import { agentLabel, type CollabTokenSource } from "../../live-editor";
import { createAiServer } from "../../server";

export const AI_PUBLIC_URL = "http://mcp.devflow.test";

/** What MCP suites work on; filled in by beforeAll, read inside tests. */
export interface McpWorkspace {
  t: TestDatabase;
  acme: OrganizationFixture;
  globex: OrganizationFixture;
  member: RequestContext;
  viewer: RequestContext;
  projectId: string;
  privateProjectId: string;
  globexProjectId: string;
  /** Signs collab tokens as the web app would (stands in for POST /api/v1/service-tokens). */
  signer: ServiceTokenSigner;
  /** An API token for `ctx`'s user with these scopes, made through the real service. */
  tokenFor(ctx: RequestContext, scopes: ("read" | "write")[]): Promise<{ token: string; id: string }>;
  /** A document in the project, indexed for search. */
  newDocument(ctx: RequestContext, projectId: string, title: string, content: string): Promise<string>;
  /** Starts the ai app (indexer off) with edits going to `collabUrl`; stopped after the test. */
  startAi(collabUrl?: string): Promise<string>;
  /** An SDK client named `name`, connected to `/mcp` with the bearer token; closed after the test. */
  connect(aiUrl: string, token: string, name?: string): Promise<Client>;
}

/**
 * Registers a suite's set-up: a test database with Acme (owner, member "Mia", viewer "Vic", an open
 * and a private project) and Globex, and per-test ai servers and MCP clients closed afterwards.
 */
export function useMcpWorkspace(): McpWorkspace {
  const w = {} as McpWorkspace;
  const cleanups: (() => Promise<unknown>)[] = [];
  const embedder = createOfflineEmbedder();

  beforeAll(async () => {
    w.t = await createTestDatabase();
    w.acme = await buildOrganization(w.t.db, "Acme");
    w.globex = await buildOrganization(w.t.db, "Globex");
    w.member = await w.acme.addMember("member", "Mia");
    w.viewer = await w.acme.addMember("viewer", "Vic");
    const projects = createProjectsService(w.t.db);
    w.projectId = (await projects.create(w.acme.ctx, { name: "Design", description: "" })).id;
    w.privateProjectId = (
      await projects.create(w.acme.ctx, { name: "Secret", description: "", visibility: "private" })
    ).id;
    w.globexProjectId = (await projects.create(w.globex.ctx, { name: "Globex design", description: "" })).id;
    w.signer = await createServiceTokenSigner({
      privateKeyPem: (await generateServiceTokenKeyPair()).privateKeyPem,
      issuer: SERVICE_TOKEN_ISSUER,
    });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await w.t?.drop();
  });

  const collabTokens: CollabTokenSource = {
    async tokenFor(call) {
      // The web route's rule: a collab token for an API token needs its write scope.
      if (!can(call.ctx.actor, "document:update")) throw forbidden("Editing live documents needs the write scope");
      const { userId, role } = call.ctx.actor;
      const claims = { userId, role, organizationId: call.ctx.organizationId, agent: agentLabel(call.agent.name) };
      return (await w.signer.sign(claims, { audience: "devflow-collab" })).token;
    },
  };

  w.tokenFor = async (ctx, scopes) => {
    const created = await createApiTokensService(w.t.db).create(ctx, {
      name: `mcp ${randomUUID().slice(0, 6)}`,
      scopes,
      expiresInDays: null,
    });
    return { token: created.token, id: created.id };
  };
  w.newDocument = async (ctx, projectId, title, content) => {
    const doc = await createDocumentsService(w.t.db).create(ctx, projectId, { title, kind: "design_doc", content });
    await createDocumentIndexer(w.t.db, { embedder }).indexDocument(ctx, doc.id);
    return doc.id;
  };
  w.startAi = async (collabUrl = "http://127.0.0.1:9") => {
    const config = {
      ...loadConfig("ai", AiConfigSchema, {
        HOST: "127.0.0.1",
        AI_INDEXER: "0",
        AI_PUBLIC_URL,
        PUBLIC_URL: "http://web.devflow.test",
        COLLAB_INTERNAL_URL: collabUrl,
      }),
      port: 0,
    };
    const server: AppServer = createAiServer({
      config,
      db: w.t.db,
      logger: createLogger({ service: "ai", level: "silent" }),
      embedder,
      collabTokens,
    });
    const url = await server.listen();
    cleanups.push(() => server.close());
    return url;
  };
  w.connect = async (aiUrl, token, name = "Claude") => {
    const client = new Client({ name, version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(`${aiUrl}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    });
    await client.connect(transport);
    cleanups.push(() => client.close());
    return client;
  };
  return w;
}
