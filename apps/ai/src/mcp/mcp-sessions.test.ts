import { describe, expect, it } from "vitest";
import { createMcpSessions, type McpSession } from "./mcp-sessions";

function fakeSession(id: string, tokenId: string, closed: string[]): Omit<McpSession, "lastSeenAt"> {
  return {
    id,
    tokenId,
    server: {} as McpSession["server"],
    transport: { close: async () => void closed.push(id) } as unknown as McpSession["transport"],
  };
}

describe("MCP sessions", () => {
  it("serves a session only to the token that opened it", () => {
    const sessions = createMcpSessions({ max: 10, perToken: 5, idleMs: 60_000 });
    sessions.add(fakeSession("s1", "token-a", []));
    expect(sessions.use("s1", "token-a")?.id).toBe("s1");
    expect(sessions.use("s1", "token-b")).toBeUndefined();
    expect(sessions.use("unknown", "token-a")).toBeUndefined();
  });

  it("drops a token's least recently used session past its cap, and anyone's past the instance cap", () => {
    const closed: string[] = [];
    const sessions = createMcpSessions({ max: 3, perToken: 2, idleMs: 60_000 });
    sessions.add(fakeSession("a1", "a", closed));
    sessions.add(fakeSession("a2", "a", closed));
    sessions.use("a1", "a");
    sessions.add(fakeSession("a3", "a", closed));
    expect(closed).toEqual(["a2"]);
    sessions.add(fakeSession("b1", "b", closed));
    sessions.add(fakeSession("b2", "b", closed));
    expect(closed).toEqual(["a2", "a1"]);
    expect(sessions.size).toBe(3);
  });

  it("forgets sessions idle for longer than the limit", () => {
    let now = 0;
    const closed: string[] = [];
    const sessions = createMcpSessions({ max: 10, perToken: 10, idleMs: 1_000 }, () => now);
    sessions.add(fakeSession("old", "a", closed));
    now = 500;
    sessions.add(fakeSession("recent", "a", closed));
    now = 1_200;
    expect(sessions.use("old", "a")).toBeUndefined();
    expect(sessions.use("recent", "a")?.id).toBe("recent");
    expect(closed).toEqual(["old"]);
  });
});
