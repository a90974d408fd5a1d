import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import path from "node:path";
import type { ServiceTokenSigner } from "@devflow/auth";

const repoRoot = path.resolve(import.meta.dirname, "..", "..", "..", "..");
const mainModule = path.join(repoRoot, "apps", "collab", "src", "main.ts");

export interface CollabProcessOptions {
  /** The RLS-bound app role's URL, as deployments give it. */
  databaseUrl: string;
  /** Where the process fetches the service-token keys (see `serveJwks`). */
  jwksUrl: string;
  /** Port to listen on; restart a killed process on its old port so clients find it again. */
  port: number;
  /** Defaults to "warn": enough to explain a failed start without flooding the test output. */
  logLevel?: string;
  /** How long to wait for `/health/ready` (the first start compiles TypeScript). */
  readyTimeoutMs?: number;
}

export interface CollabProcess {
  /** `http://127.0.0.1:<port>`, for socket.io-client. */
  readonly url: string;
  readonly pid: number;
  /** Resolves once the process has exited, with how it ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly hasExited: boolean;
  /** Sends SIGKILL right now, synchronously: nothing in the process gets to run afterwards. */
  killNow(): void;
  /** Stops the process (SIGTERM, then SIGKILL after a grace period) and waits for it; a no-op once it exited. */
  stop(graceMs?: number): Promise<void>;
  /** What the process wrote to stdout and stderr, for failure messages. */
  output(): string;
}

/**
 * Starts `apps/collab/src/main.ts` as its own Node process, configured only by environment as in a
 * deployment, and resolves once `/health/ready` answers 200. It runs as `node --import tsx` rather
 * than through the tsx CLI: the CLI runs the app in a grandchild, so a SIGKILL aimed at the CLI
 * would leave the real server running. A process that is still alive when the test worker exits is
 * killed with it.
 */
export async function startCollabProcess(options: CollabProcessOptions): Promise<CollabProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", mainModule], {
    cwd: repoRoot,
    // Only what the service reads, so a developer's own COLLAB_PORT or REDIS_URL cannot leak in.
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DEVFLOW_ENV: "test",
      // Next's types (one program type-checks the whole repository) make NODE_ENV required; nothing here reads it.
      NODE_ENV: "test",
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_MAX: "5",
      HOST: "127.0.0.1",
      COLLAB_PORT: String(options.port),
      SERVICE_TOKEN_JWKS_URL: options.jwksUrl,
      LOG_LEVEL: options.logLevel ?? "warn",
      SHUTDOWN_TIMEOUT_MS: "2000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error(`could not spawn the collab process (${process.execPath})`);
  const pid = child.pid;
  let log = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));

  const killWithWorker = () => killIfRunning(child, "SIGKILL");
  process.once("exit", killWithWorker);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      process.off("exit", killWithWorker);
      resolve({ code, signal });
    });
  });

  const url = `http://127.0.0.1:${options.port}`;
  const handle: CollabProcess = {
    url,
    pid,
    exited,
    get hasExited() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    killNow: () => killIfRunning(child, "SIGKILL"),
    async stop(graceMs = 5_000) {
      if (handle.hasExited) return;
      killIfRunning(child, "SIGTERM");
      const timer = setTimeout(() => killIfRunning(child, "SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
    output: () => log,
  };

  try {
    await waitUntilReady(url, exited, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    killIfRunning(child, "SIGKILL");
    await exited;
    throw new Error(`${(error as Error).message}\n--- collab output ---\n${log}`, { cause: error });
  }
  return handle;
}

/**
 * A port free right now for a process to listen on, and to listen on again after it was killed.
 * It is taken below the kernel's ephemeral range: a port the OS hands out for `listen(0)` is also
 * handed out as the local end of outgoing connections, so while the process is down a client's
 * connection could occupy it and the restart would fail with EADDRINUSE.
 */
export async function findFreePort(): Promise<number> {
  const ephemeralStart = await readFile("/proc/sys/net/ipv4/ip_local_port_range", "utf8").then(
    (range) => Number(range.trim().split(/\s+/)[0]),
    () => 32_768,
  );
  const low = 20_000;
  const high = Math.max(low + 1_000, ephemeralStart);
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port found between ${low} and ${high}`);
}

async function canListen(port: number): Promise<boolean> {
  const server = createNetServer();
  const isFree = await new Promise<boolean>((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => resolve(true));
  });
  if (isFree) await new Promise<void>((resolve) => server.close(() => resolve()));
  return isFree;
}

/**
 * Serves a JWKS on a local port, standing in for the web app's `/.well-known/jwks.json`. Each
 * request reads `keys()` afresh.
 */
export async function serveJwks(
  keys: ServiceTokenSigner["publicJwks"],
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createHttpServer((req, res) => {
    if (req.url !== "/.well-known/jwks.json") return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(keys()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls the readiness probe until it answers 200; fails at once if the process exits first. */
async function waitUntilReady(url: string, exited: Promise<unknown>, timeoutMs: number): Promise<void> {
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited) throw new Error(`collab process exited before it was ready at ${url}`);
    const isReady = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (isReady) return;
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 100))]);
  }
  throw new Error(`collab process at ${url} was not ready after ${timeoutMs} ms`);
}

function killIfRunning(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}
