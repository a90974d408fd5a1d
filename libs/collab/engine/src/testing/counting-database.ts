import type { Database } from "@devflow/db";

export type CountingDatabase = Database & { readonly transactions: number; readonly calls: number };

/**
 * The database, counting what the store asks of it: tenant transactions (`withTenant`) and
 * single-statement function calls (`callTenantFunction`, direct or through Prisma). For tests that
 * pin how many round trips a store operation costs.
 */
export function countingDatabase(db: Database): CountingDatabase {
  const counts = { transactions: 0, calls: 0 };
  return {
    ...db,
    get transactions() {
      return counts.transactions;
    },
    get calls() {
      return counts.calls;
    },
    withTenant: ((ctx, fn) => {
      counts.transactions += 1;
      return db.withTenant(ctx, fn);
    }) as Database["withTenant"],
    callTenantFunction: ((ctx, name, args) => {
      counts.calls += 1;
      return db.callTenantFunction(ctx, name, args);
    }) as Database["callTenantFunction"],
    callTenantFunctionDirect: ((ctx, name, args) => {
      counts.calls += 1;
      return db.callTenantFunctionDirect(ctx, name, args);
    }) as Database["callTenantFunctionDirect"],
  };
}
