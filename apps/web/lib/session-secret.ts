import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { WebConfig } from "@devflow/util-config";

const SECRET_FILE = "session-secret";
const MIN_LENGTH = 32;

/**
 * The key that signs session cookies: `SESSION_SECRET`, or — on a development machine where it is
 * unset — a random one kept in `<DATA_DIR>/session-secret` (mode 0600), so sign-ins survive restarts
 * without anyone having to invent a secret. Production refuses to start without SESSION_SECRET
 * (WebConfigSchema), and this refuses too, in case that check is ever bypassed.
 */
export async function loadSessionSecret(
  config: Pick<WebConfig, "SESSION_SECRET" | "DATA_DIR" | "DEVFLOW_ENV">,
): Promise<Uint8Array> {
  if (config.SESSION_SECRET) return new TextEncoder().encode(config.SESSION_SECRET);
  if (config.DEVFLOW_ENV === "production") throw new Error("SESSION_SECRET is required in production");

  const file = path.resolve(config.DATA_DIR, SECRET_FILE);
  const secret = (await readSecret(file)) ?? (await createSecret(file));
  return new TextEncoder().encode(secret);
}

async function readSecret(file: string): Promise<string | null> {
  try {
    const secret = (await readFile(file, "utf8")).trim();
    if (secret.length < MIN_LENGTH) {
      throw new Error(`${file} holds fewer than ${MIN_LENGTH} characters; delete it to have a new one made`);
    }
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

async function createSecret(file: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  try {
    // "wx": when two processes start at once, the second one reads the first one's secret.
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return (await readSecret(file)) ?? secret;
    throw error;
  }
}
