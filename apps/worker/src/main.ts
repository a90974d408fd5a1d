import { runService } from "@devflow/runtime";
import { WorkerConfigSchema } from "@devflow/util-config";
import { createWorkerServer } from "./server";

await runService({ service: "worker", schema: WorkerConfigSchema, create: createWorkerServer });
