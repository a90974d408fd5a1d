export { ConfigError, loadConfig, schemaVariables } from "./load-config";
export { AiConfigSchema, CollabConfigSchema, WebConfigSchema, WorkerConfigSchema } from "./schemas";
export type { AiConfig, CollabConfig, WebConfig, WorkerConfig } from "./schemas";
export { loadEncryptionKey } from "./encryption-key";
export { MigrateConfigSchema } from "./migrate-schema";
export type { MigrateConfig } from "./migrate-schema";
