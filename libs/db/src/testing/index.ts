export { describeTable, listTenantTables, rlsStatus } from "./catalog";
export type { RlsStatus, TableInfo } from "./catalog";
export { fillTenantTables } from "./tenant-fixtures";
export type { TenantRows } from "./tenant-fixtures";
export { createTestDatabase, testDatabaseTarget, testServerUrl } from "./test-database";
export type { TestDatabase, TestDatabaseTarget } from "./test-database";
