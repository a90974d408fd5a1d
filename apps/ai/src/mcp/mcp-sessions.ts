import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";

/*
 * Why sessions rather than a stateless server per request: the client names itself (clientInfo,
 * "Claude") only in `initialize`, and every later tool call must be attributed to it in the ledger
 * and in presence. A session holds just that server object; it is bound to the API token that
 * opened it, capped per token and per instance, and dropped after idling. A client whose session
 * was dropped (or that reaches another instance) gets 404 and, as the spec requires, initializes
 * again. Every request is still authenticated on its own, so revoking the token ends the session's use.
 */

export interface McpSession {
  id: string;
  /** The API token that opened it; no other token may use it. */
  tokenId: string;
  server: Server;
  transport: StreamableHTTPServerTransport;
  lastSeenAt: number;
}

export interface McpSessionLimits {
  /** Sessions kept per instance. */
  max: number;
  /** Sessions kept per API token (an agent opening one per task should not crowd others out). */
  perToken: number;
  /** Idle time after which a session is dropped. */
  idleMs: number;
}

export const MCP_SESSION_LIMITS: McpSessionLimits = { max: 2_000, perToken: 20, idleMs: 30 * 60_000 };

export function createMcpSessions(limits: McpSessionLimits, now: () => number = Date.now) {
  /** In least-recently-used order: touching a session moves it to the end. */
  const sessions = new Map<string, McpSession>();

  const drop = (session: McpSession) => {
    sessions.delete(session.id);
    void session.transport.close().catch(() => undefined);
  };

  const sweep = () => {
    const cutoff = now() - limits.idleMs;
    for (const session of sessions.values()) {
      if (session.lastSeenAt >= cutoff) break;
      drop(session);
    }
  };

  return {
    /** The session, refreshed, when it exists and belongs to `tokenId`. */
    use(id: string, tokenId: string): McpSession | undefined {
      sweep();
      const session = sessions.get(id);
      if (!session || session.tokenId !== tokenId) return undefined;
      sessions.delete(id);
      session.lastSeenAt = now();
      sessions.set(id, session);
      return session;
    },

    /** Keeps a new session, making room by dropping the token's, then anyone's, least recently used one. */
    add(session: Omit<McpSession, "lastSeenAt">): void {
      sweep();
      const own = [...sessions.values()].filter((s) => s.tokenId === session.tokenId);
      if (own.length >= limits.perToken) drop(own[0]!);
      if (sessions.size >= limits.max) drop(sessions.values().next().value!);
      sessions.set(session.id, { ...session, lastSeenAt: now() });
    },

    forget(id: string): void {
      sessions.delete(id);
    },

    get size(): number {
      return sessions.size;
    },

    async closeAll(): Promise<void> {
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.all(all.map((s) => s.transport.close().catch(() => undefined)));
    },
  };
}

export type McpSessions = ReturnType<typeof createMcpSessions>;
