import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadSessionSecret } from "./session-secret";

const dirs: string[] = [];
async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "devflow-web-secret-"));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("loadSessionSecret", () => {
  it("uses SESSION_SECRET when it is set", async () => {
    const secret = await loadSessionSecret({
      SESSION_SECRET: "s".repeat(40),
      DATA_DIR: "/nonexistent",
      DEVFLOW_ENV: "production",
    });
    expect(new TextDecoder().decode(secret)).toBe("s".repeat(40));
  });

  it("creates a random secret only its owner can read, and reuses it on the next start", async () => {
    const DATA_DIR = path.join(await dataDir(), "nested");
    const first = await loadSessionSecret({ DATA_DIR, DEVFLOW_ENV: "development" });
    const second = await loadSessionSecret({ DATA_DIR, DEVFLOW_ENV: "development" });
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(second).toEqual(first);
    expect((await stat(path.join(DATA_DIR, "session-secret"))).mode & 0o777).toBe(0o600);
  });

  it("refuses to invent a secret in production", async () => {
    await expect(loadSessionSecret({ DATA_DIR: await dataDir(), DEVFLOW_ENV: "production" })).rejects.toThrow(
      /SESSION_SECRET is required/,
    );
  });
});
