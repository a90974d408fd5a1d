/*
 * Next bundles every route separately from server.ts (which Node loads through tsx), so a module-level
 * variable here would exist once per bundle. Values that must be one per process — the Database
 * (PGlite allows a single connection), the config the launcher parsed, the metrics registry — live on
 * globalThis under registry symbols, which every copy of this module resolves to the same key.
 */
export const DATABASE_KEY = Symbol.for("devflow.database");
export const DATABASE_PENDING_KEY = Symbol.for("devflow.database.pending");
export const CONFIG_KEY = Symbol.for("devflow.web.config");
export const LOGGER_KEY = Symbol.for("devflow.web.logger");
export const METRICS_KEY = Symbol.for("devflow.web.metrics");

type ProcessGlobals = Partial<Record<symbol, unknown>>;

export function readGlobal<T>(key: symbol): T | undefined {
  return (globalThis as ProcessGlobals)[key] as T | undefined;
}

export function writeGlobal<T>(key: symbol, value: T | undefined): T | undefined {
  (globalThis as ProcessGlobals)[key] = value;
  return value;
}

/** The value under `key`, created by `make` the first time any bundle asks. */
export function processSingleton<T>(key: symbol, make: () => T): T {
  const existing = readGlobal<T>(key);
  if (existing !== undefined) return existing;
  return writeGlobal(key, make()) as T;
}
