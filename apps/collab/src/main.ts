import { runService } from "@devflow/runtime";
import { CollabConfigSchema } from "@devflow/util-config";
import { createCollabServer } from "./server";

await runService({ service: "collab", schema: CollabConfigSchema, create: createCollabServer });
