import pg from "pg";
import type { TestDatabase } from "@devflow/db/testing";
import { round, summarize } from "../stats";

export interface CommitFloor {
  opsPerSecond: number;
  latency: ReturnType<typeof summarize>;
}

/** An op row's worth of JSON, as the collab log stores one keystroke. */
const OP = JSON.stringify([1234, "abc"]);

/**
 * The least a durable ack costs on this machine: one connection inserting one op-sized row per
 * round trip, each in its own committed (fsynced) transaction, prepared once, with no socket, no
 * server and no OT in between. A service that acks an op only once it is durable cannot close a
 * loop faster than this, so the closed-loop row is read against it as well as against ShareDB.
 */
export async function measureCommitFloor(
  owner: TestDatabase["owner"],
  appUrl: string,
  durationMs: number,
): Promise<CommitFloor> {
  await owner.exec(`CREATE TABLE bench_commit_floor (id bigserial PRIMARY KEY, op jsonb NOT NULL);
                    GRANT INSERT ON bench_commit_floor TO devflow_app;
                    GRANT USAGE ON SEQUENCE bench_commit_floor_id_seq TO devflow_app;`);
  const client = new pg.Client({ connectionString: appUrl });
  await client.connect();
  const insert = { name: "bench_commit_floor", text: "INSERT INTO bench_commit_floor (op) VALUES ($1)", values: [OP] };
  try {
    // Warm the connection and the plan before timing.
    for (let i = 0; i < 200; i++) await client.query(insert);
    const latencies: number[] = [];
    const started = performance.now();
    while (performance.now() - started < durationMs) {
      const at = performance.now();
      await client.query(insert);
      latencies.push(performance.now() - at);
    }
    const elapsedMs = performance.now() - started;
    return {
      opsPerSecond: round((latencies.length * 1000) / elapsedMs),
      latency: summarize(latencies),
    };
  } finally {
    await client.end();
    await owner.exec("DROP TABLE bench_commit_floor");
  }
}
