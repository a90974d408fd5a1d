import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleOAuthServerRequest } from "./oauth-well-known";

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (!handleOAuthServerRequest(req, res, { PUBLIC_URL: "https://devflow.example.com" })) {
      res.writeHead(404).end("next");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("the OAuth authorization server metadata route", () => {
  it("serves RFC 8414 metadata to any origin", async () => {
    const response = await fetch(`${base}/.well-known/oauth-authorization-server`);
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(await response.json()).toMatchObject({
      issuer: "https://devflow.example.com",
      token_endpoint: "https://devflow.example.com/oauth/token",
      grant_types_supported: ["authorization_code", "refresh_token"],
    });
  });

  it("answers the preflight MCP clients send with MCP-Protocol-Version", async () => {
    const response = await fetch(`${base}/.well-known/oauth-authorization-server`, { method: "OPTIONS" });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-headers")).toContain("mcp-protocol-version");
  });

  it("refuses framing of the consent page and leaves every other path to Next", async () => {
    const consent = await fetch(`${base}/oauth/authorize?client_id=x`);
    expect(await consent.text()).toBe("next");
    expect(consent.headers.get("x-frame-options")).toBe("DENY");
    expect(consent.headers.get("content-security-policy")).toBe("frame-ancestors 'none'");
    const other = await fetch(`${base}/.well-known/jwks.json`);
    expect(other.headers.get("x-frame-options")).toBeNull();
    expect(await other.text()).toBe("next");
  });
});
