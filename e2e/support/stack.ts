/**
 * Starts DevFlow the way it is deployed, for the browser tests: a fresh database on the
 * PostgreSQL server, migrated as the owner and seeded, then the four apps as separate
 * processes connecting as the RLS-bound app role, the web app from its production build.
 * Playwright runs this as its webServer and stops it (and so the apps) when the tests end.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { migratePostgres, withDatabaseName, withRole } from "@devflow/db/migrations";
import { mkdir } from "node:fs/promises";
import { E2E_DATABASE, E2E_PORTS, TEST_SERVICE_PORTS } from "./ports";
import { FAKE_GITHUB_CLIENT, startTestServices } from "./test-services";

const root = path.resolve(import.meta.dirname, "..", "..");
const serverUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const ownerUrl = withDatabaseName(serverUrl, E2E_DATABASE);
const appUrl = withRole(ownerUrl, "devflow_app");

const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${E2E_DATABASE} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${E2E_DATABASE}`);
await admin.end();
await migratePostgres(ownerUrl);
const owner = new pg.Client({ connectionString: ownerUrl });
await owner.connect();
await owner.query("ALTER ROLE devflow_app LOGIN");
await owner.end();
await run("seed", ["tsx", "prisma/seed.ts"], { ...process.env, DATABASE_URL: appUrl });

const dataDir = path.join(root, ".data", E2E_DATABASE);
const dnsOverridesFile = path.join(dataDir, "dns-txt-overrides.json");
await mkdir(dataDir, { recursive: true });
const testServices = await startTestServices({
  smtpPort: TEST_SERVICE_PORTS.smtp,
  controlPort: TEST_SERVICE_PORTS.control,
  dnsOverridesFile,
});

const env = {
  ...process.env,
  DEVFLOW_ENV: "test",
  DEVFLOW_DEV_SIGN_IN: "1",
  DATABASE_URL: appUrl,
  LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "warn",
  WEB_PORT: String(E2E_PORTS.web),
  COLLAB_PORT: String(E2E_PORTS.collab),
  AI_PORT: String(E2E_PORTS.ai),
  WORKER_PORT: String(E2E_PORTS.worker),
  WORKER_PUBLIC_URL: `http://localhost:${E2E_PORTS.worker}`,
  PUBLIC_URL: `http://localhost:${E2E_PORTS.web}`,
  COLLAB_PUBLIC_URL: `http://localhost:${E2E_PORTS.collab}`,
  // The browser calls the assistant on ai directly; ai allows PUBLIC_URL's origin (CORS).
  AI_PUBLIC_URL: `http://localhost:${E2E_PORTS.ai}`,
  DATA_DIR: dataDir,
  SMTP_URL: `smtp://127.0.0.1:${TEST_SERVICE_PORTS.smtp}`,
  MAIL_FROM: "DevFlow <no-reply@devflow.test>",
  DNS_TXT_OVERRIDES_FILE: dnsOverridesFile,
  GITHUB_CLIENT_ID: FAKE_GITHUB_CLIENT.id,
  GITHUB_CLIENT_SECRET: FAKE_GITHUB_CLIENT.secret,
  GITHUB_URL: `http://localhost:${TEST_SERVICE_PORTS.control}/github`,
  GITHUB_API_URL: `http://localhost:${TEST_SERVICE_PORTS.control}/github/api`,
  SERVICE_TOKEN_JWKS_URL: `http://localhost:${E2E_PORTS.web}/.well-known/jwks.json`,
  // Where the MCP server's edit_doc asks web for collab tokens and sends its edits.
  WEB_INTERNAL_URL: `http://localhost:${E2E_PORTS.web}`,
  COLLAB_INTERNAL_URL: `http://localhost:${E2E_PORTS.collab}`,
  // The MCP server (apps/ai) that the web app issues OAuth access tokens for.
  MCP_RESOURCE_URL: `http://localhost:${E2E_PORTS.ai}/mcp`,
};

const children: ChildProcess[] = [
  start("collab", ["tsx", "apps/collab/src/main.ts"]),
  start("ai", ["tsx", "apps/ai/src/main.ts"]),
  start("worker", ["tsx", "apps/worker/src/main.ts"]),
];
// Playwright waits on web's readiness only, so web starts once the others answer theirs.
await Promise.all((["collab", "ai", "worker"] as const).map((app) => waitUntilReady(E2E_PORTS[app])));
children.push(start("web", ["tsx", "apps/web/server.ts", "--production"]));

async function waitUntilReady(port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://localhost:${port}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`e2e stack: nothing ready on port ${port} after 60 s`);
}

function run(name: string, command: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["--no-install", ...command], { cwd: root, env, stdio: "inherit" });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`e2e stack: ${name} exited with ${code}`))));
  });
}

// Apps run under tsx directly (no npx/sh layers): tsx relays SIGTERM to the app, so stopping this
// script stops them, and they stay in Playwright's process group for its final kill.
function start(name: string, command: string[]): ChildProcess {
  const [bin, ...args] = command;
  const child = spawn(path.join(root, "node_modules", ".bin", bin!), args, { cwd: root, env, stdio: "inherit" });
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`e2e stack: ${name} exited (${code ?? signal}); stopping the stack`);
      stop(1);
    }
  });
  return child;
}

let stopping = false;
function signal(child: ChildProcess, name: NodeJS.Signals) {
  if (child.exitCode === null && child.signalCode === null) child.kill(name);
}

function stop(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of children) signal(child, "SIGTERM");
  const exited = children.map((child) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise((r) => child.once("exit", r)),
  );
  const deadline = setTimeout(() => {
    for (const child of children) signal(child, "SIGKILL");
    process.exit(code);
  }, 5_000);
  void Promise.all(exited)
    .then(() => testServices.close())
    .finally(() => {
      clearTimeout(deadline);
      process.exit(code);
    });
}
process.on("SIGTERM", () => stop(0));
process.on("SIGINT", () => stop(0));
