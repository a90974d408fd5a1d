/**
 * A worker process for the crash tests (event-bus-crash.int.test.ts): subscribes one handler to
 * document.archived on the Postgres bus and reports over IPC. MODE=hang takes the job and never
 * finishes it; MODE=apply-then-hang applies the effect (applyOnce) and then never finishes; MODE=normal
 * handles jobs. The parent kills it with SIGKILL, as a crash would.
 */
import { connectDatabase } from "@devflow/db";
import { applyOnce } from "../apply-once";
import { createPgBossEventBus } from "../pg-boss-bus";

const { DATABASE_URL, MODE, HANDLER } = process.env;
if (!DATABASE_URL || !MODE || !HANDLER || !process.send)
  throw new Error("crash-worker needs DATABASE_URL, MODE, HANDLER and IPC");
const send = (message: Record<string, unknown>) => process.send!(message);

const db = await connectDatabase({ databaseUrl: DATABASE_URL, poolMax: 2 });
const bus = createPgBossEventBus({
  connectionString: DATABASE_URL,
  expireInSeconds: 2,
  maintenanceIntervalSeconds: 1,
});
await bus.subscribe(
  {
    name: HANDLER,
    type: "document.archived",
    async handle(event) {
      send({ type: "started", eventId: event.id });
      if (MODE === "hang") return new Promise<void>(() => {});
      const applied = await applyOnce(db, HANDLER, event, async () => {});
      send({ type: applied ? "applied" : "skipped", eventId: event.id });
      if (MODE === "apply-then-hang") return new Promise<void>(() => {});
    },
  },
  { maxAttempts: 5, baseDelaySeconds: 1 },
);
send({ type: "ready" });
