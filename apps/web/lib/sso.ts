import "server-only";
import type { Database } from "@devflow/db";
import { createSsoService, type SsoService } from "@devflow/domain-sso";
import { loadEncryptionKey } from "@devflow/util-config";
import { webConfig } from "./config";
import { createTxtResolver } from "./dns";
import { webLogger } from "./logger";

let encryptionKey: Promise<Uint8Array> | undefined;

/** The process's encryption key, loaded once (a failed load is retried on the next call). */
export function webEncryptionKey(): Promise<Uint8Array> {
  encryptionKey ??= loadEncryptionKey(webConfig()).catch((error: unknown) => {
    encryptionKey = undefined;
    throw error;
  });
  return encryptionKey;
}

/**
 * The SSO service as the web app runs it: secrets sealed with ENCRYPTION_KEY, domains verified through
 * DNS (or the test overrides file), http://localhost issuers accepted outside production. Sign-in code
 * reaches it as `(await services()).sso`.
 */
export async function createWebSsoService(db: Database): Promise<SsoService> {
  const config = webConfig();
  return createSsoService(db, {
    encryptionKey: await webEncryptionKey(),
    resolveTxt: createTxtResolver(config),
    logger: webLogger(),
    allowLocalhostIssuer: config.DEVFLOW_ENV !== "production",
  });
}
