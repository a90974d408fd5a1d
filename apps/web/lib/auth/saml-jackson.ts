import "server-only";
import { webConfig } from "../config";
import { webLogger } from "../logger";
import { readGlobal, writeGlobal } from "../runtime-globals";
import { loadSessionSecret } from "../session-secret";
import { createSamlBridge, type SamlBridge } from "./saml-bridge";

/*
 * One Jackson per process. The ACS, authorize and next-auth routes are separate bundles, and with
 * the in-memory store they must share one instance or a flow started in one would be unknown to the
 * next, so the instance lives on globalThis (see runtime-globals.ts).
 */
const BRIDGE_KEY = Symbol.for("devflow.web.saml-bridge");

/** The process's SAML bridge, started on first use. */
export function samlBridge(): Promise<SamlBridge> {
  const existing = readGlobal<Promise<SamlBridge>>(BRIDGE_KEY);
  if (existing) return existing;
  const config = webConfig();
  const started = loadSessionSecret(config)
    .then((secret) =>
      createSamlBridge({ publicUrl: config.PUBLIC_URL, secret, redisUrl: config.REDIS_URL, logger: webLogger() }),
    )
    .catch((error: unknown) => {
      writeGlobal(BRIDGE_KEY, undefined); // let the next sign-in try again
      throw error;
    });
  writeGlobal(BRIDGE_KEY, started);
  return started;
}
