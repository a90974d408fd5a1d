import { describe, expect, it } from "vitest";
import { bearerChallenge, protectedResourceMetadata } from "./protected-resource";

describe("protected resource metadata", () => {
  it("names /mcp as the resource and the web app as its authorization server", () => {
    expect(
      protectedResourceMetadata({
        publicUrl: "https://ai.example.com/",
        authorizationServer: "https://app.example.com/",
      }),
    ).toEqual({
      resource: "https://ai.example.com/mcp",
      authorization_servers: ["https://app.example.com"],
      scopes_supported: ["read", "write"],
      bearer_methods_supported: ["header"],
      resource_name: "DevFlow",
    });
  });

  it("points the challenge at the metadata, with the error for a bad token", () => {
    expect(bearerChallenge("https://ai.example.com")).toBe(
      'Bearer resource_metadata="https://ai.example.com/.well-known/oauth-protected-resource"',
    );
    expect(bearerChallenge("https://ai.example.com", { code: "invalid_token", description: 'a "quoted" reason' })).toBe(
      'Bearer resource_metadata="https://ai.example.com/.well-known/oauth-protected-resource", error="invalid_token", error_description="a \'quoted\' reason"',
    );
  });
});
