import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export interface PubSubEmulator {
  /** host:port for `new PubSub({ apiEndpoint, emulatorMode: true })`. */
  host: string;
  /** Stops the emulator this helper started (its whole process group); a no-op for an outside one. */
  stop(): Promise<void>;
}

/** How long the JVM may take to come up: about 3 s on an idle machine, far more on a loaded runner. */
const START_TIMEOUT_MS = 45_000;

/**
 * The official Pub/Sub emulator for a test file: the one PUBSUB_EMULATOR_HOST points at when set
 * (a CI service, or one a developer keeps running), otherwise a fresh one on a free port, resolved
 * once it answers. Each test file should use its own project id: the emulator keeps every
 * project's topics in memory for as long as it runs.
 */
export async function startPubSubEmulator(): Promise<PubSubEmulator> {
  const outside = process.env.PUBSUB_EMULATOR_HOST;
  if (outside) return { host: outside, stop: async () => {} };

  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  // gcloud writes env.yaml into its data dir; a private one keeps parallel test files apart.
  const dataDir = await mkdtemp(path.join(tmpdir(), "pubsub-emulator-"));
  // gcloud (Python) starts the emulator as a Java child and does not pass signals on: detached
  // puts both in a new process group, which stop() signals as a whole.
  const child = spawn(
    "gcloud",
    ["beta", "emulators", "pubsub", "start", `--host-port=${host}`, `--data-dir=${dataDir}`, "--quiet"],
    {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-4_000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stop = async () => {
    await killGroup(child, exited);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(host, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { host, stop };
}

/** The emulator answers plain HTTP on its gRPC port: GET / says "Ok" once it serves. */
async function waitUntilAnswering(host: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `The Pub/Sub emulator exited (${child.exitCode ?? child.signalCode}) before it answered:\n${output()}`,
      );
    }
    try {
      const response = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`The Pub/Sub emulator did not answer on ${host} within ${START_TIMEOUT_MS} ms:\n${output()}`);
}

async function killGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The group is gone already.
    }
  };
  signalGroup("SIGTERM");
  const stopped = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 5_000))]);
  if (!stopped) signalGroup("SIGKILL");
  // gcloud may exit before its Java child: make sure nothing of the group keeps the port.
  signalGroup("SIGKILL");
  await exited;
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
