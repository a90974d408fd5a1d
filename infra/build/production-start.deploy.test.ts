/**
 * Starts each app here the way its container starts in a deployment: the files its image holds
 * (assembled by infra/build, as the Dockerfile's build stage does), the image's ENV, working
 * directory and CMD, an unprivileged user (10001) that cannot write to the app's files, and exactly
 * the variables the deploy files set (infra/check/deploy-env), with local PostgreSQL and Redis
 * behind them — secrets as variables for the Cloud Run apps and as mounted files for the GKE ones.
 * First the migrate job runs as the deployment runs it, giving devflow_app the login the apps use.
 *
 * Runs after the browser tests (npm test's "deploy" step), whose production build of web it reuses.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { withDatabaseName, withRole } from "@devflow/db/migrations";
import { testServerUrl } from "@devflow/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEPLOYED,
  deployedEnvironments,
  IMAGE_OF,
  PLATFORM_OF,
  type Deployed,
  type DeployedEnvironment,
} from "../check/deploy-env";
import { buildApp } from "./build-app";

const APP_USER = 10001;
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const READY_TIMEOUT_MS = 60_000;

const work = mkdtempSync(path.join(tmpdir(), "devflow-images-"));
const database = `devflow_deploy_${randomBytes(4).toString("hex")}`;
const ownerUrl = withDatabaseName(testServerUrl(), database);
// Roles are cluster-wide: where the suite's server wants a password for devflow_app, keep it.
const appPassword = process.env.TEST_APP_DATABASE_PASSWORD ?? randomBytes(18).toString("base64url");
const appUrl = withRole(ownerUrl, "devflow_app", appPassword);

let deployed: Record<Deployed, DeployedEnvironment>;
const ports: Partial<Record<Deployed, number>> = {};
const images: Partial<Record<"web" | "worker" | "collab" | "ai", string>> = {};

/** Local stand-ins for what Terraform fills in, by variable name. */
function localValues(app: Deployed): Record<string, string> {
  const url = (other: Deployed) => `http://127.0.0.1:${ports[other]}`;
  const serviceKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
    type: "pkcs8",
    format: "pem",
  });
  return {
    DEVFLOW_ENV: "production",
    LOG_LEVEL: "warn",
    // Memorystore's CA in a deployment; here any readable bundle shows Node starts with the setting.
    NODE_EXTRA_CA_CERTS: "/etc/ssl/certs/ca-certificates.crt",
    SHUTDOWN_TIMEOUT_MS: "10000",
    DATABASE_URL: appUrl,
    MIGRATION_DATABASE_URL: ownerUrl,
    DATABASE_APP_PASSWORD: appPassword.padEnd(16, "0"),
    DATABASE_POOL_MAX: "4",
    REDIS_URL,
    SESSION_SECRET: randomBytes(36).toString("base64"),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    SERVICE_TOKEN_PRIVATE_KEY: serviceKey.toString(),
    PUBLIC_URL: url("web"),
    SERVICE_TOKEN_JWKS_URL: `${url("web")}/.well-known/jwks.json`,
    COLLAB_PUBLIC_URL: url("collab"),
    AI_PUBLIC_URL: url("ai"),
    MCP_RESOURCE_URL: `${url("ai")}/mcp`,
    WORKER_PUBLIC_URL: url("worker"),
    WEB_INTERNAL_URL: url("web"),
    COLLAB_INTERNAL_URL: url("collab"),
    // The Cloud Storage client is made at start but only calls out when a file is stored.
    BLOB_STORE: "gcs",
    GCS_BUCKET: "devflow-local-files",
    GCS_PROJECT_ID: "devflow-local",
    // Events go to Pub/Sub as deployed; nothing is published while the apps only start and stop.
    EVENT_BUS: "pubsub",
    PUBSUB_PROJECT_ID: "devflow-local",
    PUBSUB_TOPIC_PREFIX: "devflow.",
    PUBSUB_DELIVERY: "push",
    PUBSUB_PUSH_AUDIENCE: `${url("worker")}/pubsub/push`,
    PUBSUB_PUSH_SERVICE_ACCOUNT: "devflow-push@devflow-local.iam.gserviceaccount.com",
    MAIL_FROM: "DevFlow <no-reply@devflow.test>",
    // Optional settings a deployment leaves blank until an operator fills them in.
    ...Object.fromEntries(
      ["SMTP_URL", "GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET", "AI_CHAT_PROVIDER", "AI_CHAT_MODEL", "AI_CHAT_API_KEY"]
        .concat(["AI_EMBEDDINGS_PROVIDER", "AI_EMBEDDINGS_MODEL", "AI_EMBEDDINGS_API_KEY", "AI_VECTOR_STORE"])
        .concat(["PINECONE_API_KEY", "PINECONE_INDEX_HOST", "CLAMAV_HOST"])
        .map((name) => [name, ""]),
    ),
    ...(app === "collab" ? { COLLAB_PORT: String(ports.collab) } : {}),
    ...(app === "ai" ? { AI_PORT: String(ports.ai) } : {}),
  };
}

/**
 * The process environment a container of `app` gets: its image's ENV, then what the deploy files
 * set — variables on Cloud Run (whose PORT the platform sets), mounted secret files on GKE.
 */
function containerEnvironment(app: Deployed, dataDir: string): NodeJS.ProcessEnv {
  const { image, variables, files } = deployed[app];
  // The container's tmpfs for DATA_DIR is a fresh directory here.
  const values: Record<string, string> = { ...localValues(app), DATA_DIR: dataDir };
  const value = (name: string) => {
    if (!(name in values)) throw new Error(`${app}: no local value for ${name}; add one to localValues`);
    return values[name]!;
  };
  // Paths the image sets under /app point into the directory standing in for the image.
  const imageRoot = images[IMAGE_OF[app]]!;
  const imageEnv = Object.entries(image).map(([name, v]) => [
    name,
    v.startsWith("/app/") ? path.join(imageRoot, v.slice(5)) : v,
  ]);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...Object.fromEntries(imageEnv), DATA_DIR: dataDir };
  for (const name of variables) env[name] = value(name);
  if (PLATFORM_OF[app] === "cloud-run" && ports[app]) env.PORT = String(ports[app]);
  if (Object.keys(files).length > 0) {
    const secretsDir = path.join(work, `${app}-secrets`);
    mkdirSync(secretsDir, { recursive: true, mode: 0o755 });
    for (const [name, mountedAt] of Object.entries(files)) {
      const file = path.join(secretsDir, path.basename(mountedAt));
      // Blank secrets are written blank, as Secret Manager serves an operator's empty version.
      writeFileSync(file, `${value(name)}\n`, { mode: 0o444 });
      env[`${name}_FILE`] = file;
    }
  }
  return env;
}

/** Runs the image's command as the container does: its working directory, user 10001, SIGTERM to stop. */
function startContainer(app: Deployed): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const dataDir = path.join(work, `${app}-data`);
  mkdirSync(dataDir, { recursive: true });
  if (process.getuid?.() === 0) chownSync(dataDir, APP_USER, APP_USER);
  const [command, ...args] = deployed[app].runtime.cmd;
  const imageRoot = images[IMAGE_OF[app]]!;
  const cwd = path.join(imageRoot, path.relative("/app", deployed[app].runtime.workdir));
  // Only root may start a process as another user; elsewhere the app runs as whoever runs the tests.
  const asAppUser = process.getuid?.() === 0 ? { uid: APP_USER, gid: APP_USER } : {};
  const child = spawn(command!, args, { cwd, env: containerEnvironment(app, dataDir), ...asAppUser });
  let output = "";
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-20_000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForReady(app: Deployed, exited: Promise<number | null>, output: () => string) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let stopped = false;
  void exited.then(() => (stopped = true));
  while (Date.now() < deadline && !stopped) {
    const response = await fetch(`http://127.0.0.1:${ports[app]}/health/ready`).catch(() => undefined);
    if (response?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${app} did not become ready:\n${output()}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe.skipIf(process.env.DEVFLOW_TEST_DB !== "postgres")("each app started as its container starts it", () => {
  beforeAll(async () => {
    deployed = await deployedEnvironments();
    for (const app of DEPLOYED) if (app !== "migrate") ports[app] = await freePort();
    // The user the images run as must reach the files, as root-owned, world-readable layers allow.
    chmodSync(work, 0o755);
    for (const image of ["worker", "collab", "ai", "web"] as const) {
      images[image] = path.join(work, image);
      await buildApp(image, images[image], { reuseNextBuild: true });
    }
    const admin = new pg.Client({ connectionString: testServerUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
  }, 900_000);

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: testServerUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    rmSync(work, { recursive: true, force: true });
  });

  it("the migrate job migrates the database and gives the apps' role its login", async () => {
    const job = startContainer("migrate");
    const code = await job.exited;
    expect(code, job.output()).toBe(0);
    expect(job.output()).toMatch(/Applied \d+ migration\(s\)/);

    const admin = new pg.Client({ connectionString: ownerUrl });
    await admin.connect();
    const { rows } = await admin.query(
      "SELECT rolcanlogin, rolbypassrls, rolsuper FROM pg_roles WHERE rolname = 'devflow_app'",
    );
    await admin.end();
    expect(rows[0]).toEqual({ rolcanlogin: true, rolbypassrls: false, rolsuper: false });
  });

  // Order matters: collab, ai and worker verify service tokens against web's keys, as deployed.
  for (const app of ["web", "collab", "ai", "worker"] as const) {
    it(`${app} starts unprivileged from its image's command, serves its health and metrics, and stops cleanly on SIGTERM`, async () => {
      const container = startContainer(app);
      try {
        await waitForReady(app, container.exited, container.output);
        const metrics = await fetch(`http://127.0.0.1:${ports[app]}/metrics`);
        expect(metrics.status).toBe(200);
        expect(await metrics.text()).toContain("process_resident_memory_bytes");
        if (app === "web") await expectWebPagesAndAssets();
      } finally {
        container.child.kill("SIGTERM");
      }
      expect(await container.exited, container.output()).toBe(0);
    }, 120_000);
  }
});

/** The sign-in page renders and the browser assets the build made are served, from the image's files. */
async function expectWebPagesAndAssets() {
  const page = await fetch(`http://127.0.0.1:${ports.web}/sign-in`);
  expect(page.status).toBe(200);
  const html = await page.text();
  const script = html.match(/\/_next\/static\/[^"]+\.js/)?.[0];
  expect(script).toBeDefined();
  expect((await fetch(`http://127.0.0.1:${ports.web}${script}`)).status).toBe(200);
}
