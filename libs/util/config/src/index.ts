export { ConfigError, loadConfig } from "./load-config";
export { AiConfigSchema, CollabConfigSchema, WebConfigSchema, WorkerConfigSchema } from "./schemas";
export type { AiConfig, CollabConfig, WebConfig, WorkerConfig } from "./schemas";
export { loadEncryptionKey } from "./encryption-key";
