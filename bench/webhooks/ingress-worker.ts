/**
 * The worker's webhook ingress on its own, for `BENCH_WEBHOOKS_PROCESSING=separate|none`: started
 * as `apps/worker/src/main.ts` starts the worker, but with no event bus, so this process runs no
 * outbox relay and no handlers. With `separate` a second worker, started as production starts it,
 * relays and processes what this one stores (on Cloud Run they are separate services anyway).
 */
import { runService } from "@devflow/runtime";
import { WorkerConfigSchema } from "@devflow/util-config";
import { createWorkerServer } from "../../apps/worker/src/server";

await runService({
  service: "worker",
  schema: WorkerConfigSchema,
  create: (deps) => createWorkerServer({ ...deps, handlers: [] }),
});
