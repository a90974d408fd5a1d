import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createLogger } from "@devflow/observability";
import { describeServiceServer } from "@devflow/observability/testing";
import { describeServiceTokenAuth } from "@devflow/runtime/testing";
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

describeServiceTokenAuth("devflow-worker", "devflow-ai", (jwksUrl) =>
  createWorkerServer({
    config: { ...config, SERVICE_TOKEN_JWKS_URL: jwksUrl },
    db: t.db,
    logger: createLogger({ service: "worker", level: "silent" }),
  }),
);
