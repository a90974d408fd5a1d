export { connectDatabase, embeddedDatabase, openEmbeddedPostgres } from "./connect";
export type { ConnectOptions } from "./connect";
export { APP_ROLE, createDatabase } from "./database";
export type { Database, DatabaseOptions, TenantContext, Tx } from "./database";
export { isForeignKeyViolation, isUniqueViolation } from "./errors";
export type { Prisma } from "./generated/prisma/client";
