import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { describeServiceServer } from "@devflow/observability/testing";
import { AiConfigSchema, loadConfig } from "@devflow/util-config";
import { afterAll, beforeAll } from "vitest";
import { createAiServer } from "./server";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const config = { ...loadConfig("ai", AiConfigSchema, { HOST: "127.0.0.1" }), port: 0 };

describeServiceServer("ai", ({ logger, ping }) =>
  createAiServer({ config, db: ping ? { ...t.db, ping } : t.db, logger }),
);
