import { loadConfig, WebConfigSchema, type WebConfig } from "@devflow/util-config";
import { CONFIG_KEY, processSingleton, writeGlobal } from "./runtime-globals";

/** The web app's configuration: what server.ts (or the dev launcher) parsed, else the environment's. */
export function webConfig(): WebConfig {
  return processSingleton(CONFIG_KEY, () => loadConfig("web", WebConfigSchema));
}

/** Called by server.ts so route bundles read the exact config the process started with. */
export function shareWebConfig(config: WebConfig): void {
  writeGlobal(CONFIG_KEY, config);
}
