import { spawn } from "node:child_process";
import { createServer as createHttpServer } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import path from "node:path";
import type { ServiceTokenSigner } from "@devflow/auth";

const repoRoot = path.resolve(import.meta.dirname, "..", "..", "..", "..", "..");
const collabMain = path.join(repoRoot, "apps", "collab", "src", "main.ts");

export interface CollabProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * The real collab service as its own process (apps may not import each other), configured only by
 * environment as deployed, verifying tokens against `signer`'s keys served on a loopback JWKS
 * endpoint the way the web app serves them. Resolves once `/health/ready` answers.
 */
export async function startCollabProcess(databaseUrl: string, signer: ServiceTokenSigner): Promise<CollabProcess> {
  const jwks = createHttpServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(signer.publicJwks()));
  });
  await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", collabMain], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DEVFLOW_ENV: "test",
      // Next's types (one program type-checks the whole repository) make NODE_ENV required; nothing here reads it.
      NODE_ENV: "test",
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_MAX: "5",
      HOST: "127.0.0.1",
      COLLAB_PORT: String(port),
      SERVICE_TOKEN_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`,
      LOG_LEVEL: "warn",
      SHUTDOWN_TIMEOUT_MS: "2000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const kill = () => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL");
  process.once("exit", kill);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const timer = setTimeout(kill, 5_000);
    await exited;
    clearTimeout(timer);
    process.off("exit", kill);
    await new Promise((resolve) => jwks.close(resolve));
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    const isReady = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (isReady) return { url, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`collab did not become ready on ${url}\n--- collab output ---\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
