import { createDeadLetterRecorder } from "@devflow/domain-notifications";
import { createPgBossEventBus, createPubSubEventBus } from "@devflow/events";
import { runService } from "@devflow/runtime";
import { WorkerConfigSchema } from "@devflow/util-config";
import { createWorkerServer } from "./server";

await runService({
  service: "worker",
  schema: WorkerConfigSchema,
  create: (deps) => {
    // A job that fails for good tells the organization's admins (a job.failed notification).
    const onDeadLetter = createDeadLetterRecorder(deps.db, { logger: deps.logger });
    return createWorkerServer({
      ...deps,
      bus:
        deps.config.EVENT_BUS === "pubsub"
          ? createPubSubEventBus({
              projectId: deps.config.PUBSUB_PROJECT_ID!,
              db: deps.db,
              topicPrefix: deps.config.PUBSUB_TOPIC_PREFIX,
              ...(deps.config.PUBSUB_EMULATOR_HOST && { emulatorHost: deps.config.PUBSUB_EMULATOR_HOST }),
              logger: deps.logger,
              onDeadLetter,
            })
          : createPgBossEventBus({ connectionString: deps.config.DATABASE_URL, logger: deps.logger, onDeadLetter }),
    });
  },
});
