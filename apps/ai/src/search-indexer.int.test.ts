import { createOfflineEmbedder, createRetrievalService } from "@devflow/ai-rag";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { createLogger } from "@devflow/observability";
import { buildOrganization } from "@devflow/testing";
import { AiConfigSchema, loadConfig } from "@devflow/util-config";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAiServer } from "./server";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const logger = createLogger({ service: "ai", level: "silent" });
const configWith = (env: Record<string, string>) => ({
  ...loadConfig("ai", AiConfigSchema, { HOST: "127.0.0.1", ...env }),
  port: 0,
});

describe("the ai service's search indexer", () => {
  it("indexes a new document shortly after it is written, while the service runs", async () => {
    const server = createAiServer({
      config: configWith({ AI_INDEXER_INTERVAL_MS: "100", AI_INDEXER_SETTLE_MS: "0" }),
      db: t.db,
      logger,
    });
    await server.listen();
    try {
      const org = await buildOrganization(t.db, "Acme");
      const project = await createProjectsService(t.db).create(org.ctx, { name: "Birds", description: "" });
      const doc = await createDocumentsService(t.db).create(org.ctx, project.id, {
        title: "Avocet survey",
        kind: "design_doc",
        content: "Avocets sweep their bills through shallow water.",
      });
      const retrieval = createRetrievalService(t.db, { embedder: createOfflineEmbedder() });
      await vi.waitFor(
        async () => expect((await retrieval.search(org.ctx, { query: "avocets" }))[0]?.sourceId).toBe(doc.id),
        { timeout: 10_000, interval: 100 },
      );
    } finally {
      await server.close();
    }
  });
});
