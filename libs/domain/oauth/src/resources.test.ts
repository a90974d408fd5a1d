import { describe, expect, it } from "vitest";
import { authorizationServerMetadata } from "./metadata";
import { canonicalResource } from "./resources";

describe("resource indicators", () => {
  it("compare in one canonical form", () => {
    expect(canonicalResource("https://MCP.Example.com/mcp/")).toBe("https://mcp.example.com/mcp");
    expect(canonicalResource("HTTP://localhost:3002/mcp")).toBe("http://localhost:3002/mcp");
    expect(canonicalResource("https://mcp.example.com:443/mcp")).toBe("https://mcp.example.com/mcp");
    expect(canonicalResource("https://mcp.example.com/mcp#x")).toBeNull();
    expect(canonicalResource("mcp")).toBeNull();
    expect(canonicalResource("urn:example:mcp")).toBeNull();
  });
});

describe("authorization server metadata", () => {
  it("names the issuer without a trailing slash and the endpoints under it", () => {
    const metadata = authorizationServerMetadata("https://devflow.example.com/");
    expect(metadata).toMatchObject({
      issuer: "https://devflow.example.com",
      authorization_endpoint: "https://devflow.example.com/oauth/authorize",
      token_endpoint: "https://devflow.example.com/oauth/token",
      registration_endpoint: "https://devflow.example.com/oauth/register",
      code_challenge_methods_supported: ["S256"],
      token_endpoint_auth_methods_supported: ["none"],
    });
  });
});
