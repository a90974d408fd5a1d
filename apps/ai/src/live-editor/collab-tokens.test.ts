import type { ToolCallContext } from "@devflow/ai-tools";
import { AppError } from "@devflow/util-core";
import { describe, expect, it } from "vitest";
import { agentLabel, createWebCollabTokens } from "./collab-tokens";

const call: ToolCallContext = {
  ctx: { organizationId: "o", requestId: "r1", actor: { userId: "u", role: "member" } },
  agent: { surface: "mcp", name: "Claude" },
  apiToken: "dfp_secret",
};

function webAnswering(status: number, body: unknown) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    requests.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, requests };
}

describe("collab tokens from the web app", () => {
  it("names the agent as presence shows it, within the token's limit", () => {
    expect(agentLabel("Claude")).toBe("Claude via MCP");
    expect(agentLabel("  \u0007 ")).toBe("An MCP client via MCP");
    expect(agentLabel("x".repeat(100))).toHaveLength(60);
  });

  it("asks with the caller's API token for a collab token naming the agent, and reuses it while fresh", async () => {
    const expiresAt = new Date(Date.now() + 5 * 60_000).toISOString();
    const web = webAnswering(200, { token: "collab-token", expiresAt });
    const tokens = createWebCollabTokens({ webUrl: "http://web.internal:3000", fetch: web.fetch });
    expect(await tokens.tokenFor(call)).toBe("collab-token");
    expect(await tokens.tokenFor(call)).toBe("collab-token");
    expect(web.requests).toHaveLength(1);
    const { url, init } = web.requests[0]!;
    expect(url).toBe("http://web.internal:3000/api/v1/service-tokens");
    expect(init.headers).toMatchObject({ authorization: "Bearer dfp_secret", "x-request-id": "r1" });
    expect(JSON.parse(init.body as string)).toEqual({ audience: "collab", agent: "Claude via MCP" });
  });

  it("passes on the web app's refusal, and reports it being away as unavailable", async () => {
    const refused = createWebCollabTokens({
      webUrl: "http://web",
      fetch: webAnswering(403, { error: { code: "forbidden", message: "needs the write scope" } }).fetch,
    });
    await expect(refused.tokenFor(call)).rejects.toMatchObject({ code: "forbidden", message: "needs the write scope" });
    const down = createWebCollabTokens({ webUrl: "http://web", fetch: webAnswering(502, "Bad gateway").fetch });
    await expect(down.tokenFor(call)).rejects.toMatchObject({ code: "unavailable" });
    const unreachable = createWebCollabTokens({
      webUrl: "http://web",
      fetch: (async () => {
        throw new TypeError("fetch failed");
      }) as unknown as typeof globalThis.fetch,
    });
    const error = await unreachable.tokenFor(call).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "unavailable" });
  });
});
