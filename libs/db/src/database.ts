import type pg from "pg";
import type { Logger } from "pino";
import { PrismaClient } from "./generated/prisma/client";
import type { Prisma } from "./generated/prisma/client";

/** The client repositories receive: one interactive transaction, tenant already set. */
export type Tx = Prisma.TransactionClient;

/** The role every unit of work runs as, created by the row-level-security migration. */
export const APP_ROLE = "devflow_app";

export interface TenantContext {
  organizationId: string;
}

export interface Database {
  /** "postgres" for a server reached by URL, "embedded" for PGlite in this process. */
  readonly kind: "postgres" | "embedded";
  /**
   * Runs `fn` in one transaction that first sets the organization (transaction-local) and the
   * RLS-bound role, so every query inside sees and writes only that organization's rows.
   * This is the only way domain code reaches tenant data.
   */
  withTenant<T>(ctx: TenantContext, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` across tenants (sign-in lookups, relays, rollups). `reason` is logged every time so
   * each crossing can be found and justified: grep for withSystem.
   */
  withSystem<T>(reason: string, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Calls the SQL function `name(organizationId, ...args)` as a statement of its own, outside any
   * interactive transaction, and returns its rows. PostgreSQL runs the call in an implicit
   * transaction: one round trip instead of withTenant's four, committed (durable) when it resolves.
   * The call itself starts with no tenant set, so it is only for functions written to be called
   * this way: SECURITY INVOKER, taking the organization first and entering it with
   * `PERFORM enter_tenant(organization_id)` before any query. That sets withTenant's role and
   * organization transaction-locally, so row-level security binds every query after it and
   * nothing outlives the call. For hot paths only (collab commits); everything else uses withTenant.
   */
  callTenantFunction<T>(ctx: TenantContext, name: string, args: readonly unknown[]): Promise<T[]>;
  /**
   * callTenantFunction sent straight to the pg pool under Prisma's driver adapter, for the hottest
   * path (webhook ingress): the same statement, implicit transaction and function contract, minus
   * the Prisma client's per-query work, and prepared once per connection (a named statement; not
   * for use behind a transaction-pooling PgBouncer). Rows come back as node-postgres decodes them
   * (int8 and numeric as strings, where Prisma gives BigInt and Decimal), so keep such functions to
   * uuid, text, boolean and integer columns, which decode alike both ways. A failed call rejects
   * with node-postgres's error (`code` is the SQLSTATE), not Prisma's. On the embedded database,
   * which has no pool, it is callTenantFunction.
   */
  callTenantFunctionDirect<T>(ctx: TenantContext, name: string, args: readonly unknown[]): Promise<T[]>;
  /** A cheap round trip for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  kind: Database["kind"];
  prisma: PrismaClient;
  logger?: Logger;
  /** Called after the Prisma client disconnects (closes the embedded database, for one). */
  onClose?: () => Promise<void>;
  /** The pg pool `prisma`'s driver adapter runs on (a server connection), for callTenantFunctionDirect. */
  pool?: pg.Pool;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A plain function name: it is spliced into the statement, so nothing that could be SQL. */
const FUNCTION_NAME = /^[a-z][a-z0-9_]*$/;

export function createDatabase({ kind, prisma, logger, onClose, pool }: DatabaseOptions): Database {
  const transactionOptions = { maxWait: 10_000, timeout: 30_000 };
  const tenantFunctionCall = (ctx: TenantContext, name: string, args: readonly unknown[]) => {
    if (!UUID.test(ctx.organizationId)) {
      throw new Error(`callTenantFunction needs an organization id, got "${ctx.organizationId}"`);
    }
    if (!FUNCTION_NAME.test(name)) throw new Error(`callTenantFunction needs a plain function name, got "${name}"`);
    const placeholders = args.map((_, i) => `, $${i + 2}`).join("");
    return { sql: `SELECT * FROM "${name}"($1::uuid${placeholders})`, values: [ctx.organizationId, ...args] };
  };

  return {
    kind,
    withTenant(ctx, fn) {
      if (!UUID.test(ctx.organizationId)) {
        // A malformed id would make the policy cast fail deep inside a query; fail here, clearly.
        return Promise.reject(new Error(`withTenant needs an organization id, got "${ctx.organizationId}"`));
      }
      return prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('role', ${APP_ROLE}, true),
                                    set_config('app.current_organization', ${ctx.organizationId}, true)`;
        return fn(tx);
      }, transactionOptions);
    },
    withSystem(reason, fn) {
      // Debug, not info: the search indexer crosses tenants on every pass (once a second when idle),
      // which would bury the log. The call sites themselves are the audit: grep for withSystem.
      logger?.debug({ reason }, "withSystem: crossing tenants");
      return prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('role', ${APP_ROLE}, true),
                                    set_config('app.system_access', 'on', true)`;
        return fn(tx);
      }, transactionOptions);
    },
    async callTenantFunction<T>(ctx: TenantContext, name: string, args: readonly unknown[]) {
      const { sql, values } = tenantFunctionCall(ctx, name, args);
      return prisma.$queryRawUnsafe<T[]>(sql, ...values);
    },
    async callTenantFunctionDirect<T>(ctx: TenantContext, name: string, args: readonly unknown[]) {
      const { sql, values } = tenantFunctionCall(ctx, name, args);
      if (!pool) return prisma.$queryRawUnsafe<T[]>(sql, ...values);
      // Named, so each connection parses and plans the call once rather than per call: for webhook
      // ingress that was about 14% of PostgreSQL's CPU per delivery. One name per statement text.
      return (await pool.query({ name: `tenant_fn_${name}_${args.length}`, text: sql, values })).rows as T[];
    },
    async ping() {
      await prisma.$queryRaw`SELECT 1`;
    },
    async close() {
      await prisma.$disconnect();
      await onClose?.();
    },
  };
}
