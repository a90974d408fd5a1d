import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

const KEY_FILE = "encryption-key";
const KEY_BYTES = 32;

/**
 * The key that seals secrets at rest (SSO client secrets, integration secrets): `ENCRYPTION_KEY`
 * (32 bytes, base64), or —
 * on a development machine where it is unset — a random one kept in `<DATA_DIR>/encryption-key`
 * (mode 0600), so stored secrets stay readable across restarts. Production refuses to start without
 * ENCRYPTION_KEY (the web and worker schemas), and this refuses too, in case that check is ever
 * bypassed. Web and worker read the same key: the worker opens the secrets web sealed.
 */
export async function loadEncryptionKey(config: {
  ENCRYPTION_KEY?: string | undefined;
  DATA_DIR: string;
  DEVFLOW_ENV: string;
}): Promise<Uint8Array> {
  if (config.ENCRYPTION_KEY) return decode(config.ENCRYPTION_KEY, "ENCRYPTION_KEY");
  if (config.DEVFLOW_ENV === "production") throw new Error("ENCRYPTION_KEY is required in production");

  const file = path.resolve(config.DATA_DIR, KEY_FILE);
  return (await readKey(file)) ?? (await createKey(file));
}

function decode(base64: string, source: string): Uint8Array {
  const key = new Uint8Array(Buffer.from(base64.trim(), "base64"));
  if (key.length !== KEY_BYTES) throw new Error(`${source} must hold ${KEY_BYTES} bytes, base64-encoded`);
  return key;
}

async function readKey(file: string): Promise<Uint8Array | null> {
  try {
    return decode(await readFile(file, "utf8"), `${file} (delete it only if nothing was encrypted with it)`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

async function createKey(file: string): Promise<Uint8Array> {
  await mkdir(path.dirname(file), { recursive: true });
  const key = randomBytes(KEY_BYTES);
  try {
    // "wx": when two processes start at once, the second one reads the first one's key.
    await writeFile(file, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    return new Uint8Array(key);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return (await readKey(file)) ?? new Uint8Array(key);
    throw error;
  }
}
