import { createPgBossEventBus } from "@devflow/events";
import { runService } from "@devflow/runtime";
import { WorkerConfigSchema } from "@devflow/util-config";
import { createWorkerServer } from "./server";

await runService({
  service: "worker",
  schema: WorkerConfigSchema,
  create: (deps) =>
    createWorkerServer({
      ...deps,
      bus: createPgBossEventBus({ connectionString: deps.config.DATABASE_URL, logger: deps.logger }),
    }),
});
