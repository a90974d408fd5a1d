import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { describeServiceServer } from "@devflow/observability/testing";
import { WorkerConfigSchema, loadConfig } from "@devflow/util-config";
import { afterAll, beforeAll } from "vitest";
import { createWorkerServer } from "./server";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const config = { ...loadConfig("worker", WorkerConfigSchema, { HOST: "127.0.0.1" }), port: 0 };

describeServiceServer("worker", ({ logger, ping }) =>
  createWorkerServer({ config, db: ping ? { ...t.db, ping } : t.db, logger }),
);
