/**
 * Child process: the DevFlow collab server as `runService` starts it (its own pool on
 * DATABASE_URL, the default pool size), service tokens checked against the JWKS it is given.
 */
import { createServiceTokenVerifier, SERVICE_TOKEN_ISSUER } from "@devflow/auth";
import type { JSONWebKeySet } from "jose";
import { connectDatabase, type Database } from "@devflow/db";
import { createLogger } from "@devflow/observability";
import type { AppServer } from "@devflow/observability/service";
import { CollabConfigSchema, loadConfig } from "@devflow/util-config";
import { createCollabServer } from "../../apps/collab/src/server";
import { summarize } from "../stats";
import { resourceMeter, serveIpc } from "./shared";

interface StartRequest {
  databaseUrl: string;
  jwks: JSONWebKeySet;
  /** Absent: the production per-connection op budget. */
  opRateLimit?: { burst: number; perSecond: number };
  /** Absent: the service's default DATABASE_POOL_MAX. */
  poolMax?: number;
}

const meter = resourceMeter();
let server: AppServer | undefined;
let db: Database | undefined;

/**
 * Every tenant unit of work the server runs, for the window (pool wait included): a `withTenant`
 * transaction, or a `callTenantFunction(Direct)` call (a commit: one statement in its own implicit transaction).
 */
const transactions = { durations: [] as number[], inFlight: 0, maxInFlight: 0 };

async function time<T>(run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  transactions.inFlight += 1;
  transactions.maxInFlight = Math.max(transactions.maxInFlight, transactions.inFlight);
  try {
    return await run();
  } finally {
    transactions.inFlight -= 1;
    transactions.durations.push(performance.now() - started);
  }
}

function timed(database: Database): Database {
  return {
    ...database,
    withTenant: (ctx, fn) => time(() => database.withTenant(ctx, fn)),
    callTenantFunction: (ctx, name, args) => time(() => database.callTenantFunction(ctx, name, args)),
    callTenantFunctionDirect: (ctx, name, args) => time(() => database.callTenantFunctionDirect(ctx, name, args)),
  };
}

serveIpc({
  async start(request: StartRequest) {
    const config = loadConfig("collab", CollabConfigSchema, {
      HOST: "127.0.0.1",
      DATABASE_URL: request.databaseUrl,
      LOG_LEVEL: "warn",
      ...(request.poolMax && { DATABASE_POOL_MAX: String(request.poolMax) }),
    });
    db = await connectDatabase({ databaseUrl: request.databaseUrl, poolMax: config.DATABASE_POOL_MAX });
    server = createCollabServer({
      config: { ...config, port: 0 },
      db: timed(db),
      logger: createLogger({ service: "collab", level: "warn", destination: process.stderr }),
      serviceTokens: createServiceTokenVerifier({ jwks: request.jwks, issuer: SERVICE_TOKEN_ISSUER }),
      ...(request.opRateLimit && { sessions: { opRateLimit: request.opRateLimit } }),
    });
    const url = await server.listen();
    return { url, pid: process.pid, poolMax: config.DATABASE_POOL_MAX };
  },
  mark() {
    meter.mark();
    transactions.durations = [];
    transactions.maxInFlight = transactions.inFlight;
    return null;
  },
  read() {
    return {
      ...meter.read(),
      transactions: { ...summarize(transactions.durations), maxInFlight: transactions.maxInFlight },
    };
  },
  async stop() {
    await server?.close();
    await db?.close();
    return null;
  },
});
