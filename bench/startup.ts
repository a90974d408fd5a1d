/**
 * Time from the README's run command to the first served page, on a fresh data directory
 * (embedded database created, migrated and seeded) and again on a warm one. Install excluded.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

async function timeToFirstPage(dataDir: string, basePort: number): Promise<{ ms: number; status: number }> {
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: "",
    WEB_PORT: String(basePort),
    COLLAB_PORT: String(basePort + 1),
    AI_PORT: String(basePort + 2),
    WORKER_PORT: String(basePort + 3),
    PUBLIC_URL: `http://localhost:${basePort}`,
    LOG_LEVEL: "warn",
  };
  const started = performance.now();
  const child = spawn("npm", ["run", "dev"], { cwd: root, env, stdio: "ignore", detached: true });
  try {
    const deadline = started + 180_000;
    while (performance.now() < deadline) {
      try {
        const response = await fetch(`http://localhost:${basePort}/sign-in`);
        if (response.ok && (await response.text()).includes("<html")) {
          return { ms: Math.round(performance.now() - started), status: response.status };
        }
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error("the dev command served no page within 180 s");
  } finally {
    process.kill(-child.pid!, "SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

export async function benchStartup() {
  const dataDir = await mkdtemp(path.join(tmpdir(), "devflow-bench-"));
  try {
    const cold = await timeToFirstPage(dataDir, 3700);
    const warm = await timeToFirstPage(dataDir, 3710);
    return {
      "npm run dev → first page, fresh data dir (ms)": cold.ms,
      "npm run dev → first page, existing data dir (ms)": warm.ms,
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
