import { runService } from "@devflow/runtime";
import { AiConfigSchema } from "@devflow/util-config";
import { createAiServer } from "./server";

await runService({ service: "ai", schema: AiConfigSchema, create: createAiServer });
