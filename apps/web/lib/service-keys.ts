import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  createServiceTokenSigner,
  generateServiceTokenKeyPair,
  SERVICE_TOKEN_ISSUER,
  type ServiceTokenSigner,
} from "@devflow/auth";
import type { WebConfig } from "@devflow/util-config";
import { webConfig } from "./config";
import { readGlobal, writeGlobal } from "./runtime-globals";

const KEY_FILE = "service-token-key.pem";

/** Where collab, ai and worker fetch the keys (SERVICE_TOKEN_JWKS_URL). Served by server.ts, before Next. */
export const JWKS_PATH = "/.well-known/jwks.json";
/** Verifiers refetch on an unknown kid anyway; this bounds how long a retired key lingers in caches. */
const JWKS_MAX_AGE_SECONDS = 5 * 60;

/*
 * One signer per process: server.ts (for the JWKS) and every route bundle share it, so the key file
 * is read once. Keyed on globalThis for the same reason as lib/runtime-globals.ts.
 */
const SIGNER_KEY = Symbol.for("devflow.web.service-token-signer");

/**
 * The private key that signs service tokens: `SERVICE_TOKEN_PRIVATE_KEY`, or — on a development machine
 * where it is unset — an ES256 key generated once and kept in `<DATA_DIR>/service-token-key.pem`
 * (mode 0600), so tokens and the services' cached JWKS survive restarts. Production refuses to start
 * without the variable (WebConfigSchema), and this refuses too, in case that check is ever bypassed.
 */
export async function loadServiceTokenPrivateKey(
  config: Pick<WebConfig, "SERVICE_TOKEN_PRIVATE_KEY" | "DATA_DIR" | "DEVFLOW_ENV">,
): Promise<string> {
  if (config.SERVICE_TOKEN_PRIVATE_KEY) return config.SERVICE_TOKEN_PRIVATE_KEY;
  if (config.DEVFLOW_ENV === "production") throw new Error("SERVICE_TOKEN_PRIVATE_KEY is required in production");

  const file = path.resolve(config.DATA_DIR, KEY_FILE);
  return (await readKey(file)) ?? (await createKey(file));
}

/** The process's service-token signer, built on first use. */
export function serviceTokenSigner(): Promise<ServiceTokenSigner> {
  const existing = readGlobal<Promise<ServiceTokenSigner>>(SIGNER_KEY);
  if (existing) return existing;
  const pending = buildSigner(webConfig()).catch((error: unknown) => {
    writeGlobal(SIGNER_KEY, undefined); // let the next request try again
    throw error;
  });
  writeGlobal(SIGNER_KEY, pending);
  return pending;
}

async function buildSigner(config: WebConfig): Promise<ServiceTokenSigner> {
  const privateKeyPem = await loadServiceTokenPrivateKey(config);
  try {
    return await createServiceTokenSigner({ privateKeyPem, issuer: SERVICE_TOKEN_ISSUER });
  } catch (error) {
    const source = config.SERVICE_TOKEN_PRIVATE_KEY
      ? "SERVICE_TOKEN_PRIVATE_KEY"
      : `${path.resolve(config.DATA_DIR, KEY_FILE)} (delete it to have a new one made)`;
    throw new Error(`${source} is not a usable service-token key: ${(error as Error).message}`, { cause: error });
  }
}

/** The body and headers of `GET /.well-known/jwks.json`: public keys only, cacheable by anyone. */
export async function jwksResponse(): Promise<{ body: string; headers: Record<string, string> }> {
  const signer = await serviceTokenSigner();
  return {
    body: JSON.stringify(signer.publicJwks()),
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": `public, max-age=${JWKS_MAX_AGE_SECONDS}`,
    },
  };
}

async function readKey(file: string): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

async function createKey(file: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  const { privateKeyPem } = await generateServiceTokenKeyPair();
  // Written aside, then linked into place: the key file appears whole or not at all, and when two
  // processes start at once the second link fails and that process reads the first one's key.
  const staging = `${file}.${process.pid}.tmp`;
  await writeFile(staging, privateKeyPem, { mode: 0o600 });
  try {
    await link(staging, file);
    return privateKeyPem;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return (await readKey(file)) ?? privateKeyPem;
    throw error;
  } finally {
    await rm(staging, { force: true });
  }
}
