import { ScimUserInputSchema } from "@devflow/contracts";
import { AppError } from "@devflow/util-core";
import type { NextRequest } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));

const authenticate = vi.fn<(token: string) => Promise<{ organizationId: string; tokenId: string } | null>>();
vi.mock("./services", () => ({
  services: async () => ({ scimTokens: { authenticate } }),
}));

const logged = vi.fn();
vi.mock("./logger", () => ({ webLogger: () => ({ error: logged, warn: logged, info: logged }) }));

const { readScimBody, scimCreated, scimRoute, SCIM_CONTENT_TYPE } = await import("./scim-http");

const ORG = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const noParams = { params: Promise.resolve({}) };

function request(init: RequestInit & { token?: string } = {}): NextRequest {
  const headers = new Headers(init.headers);
  if (init.token !== undefined) headers.set("authorization", `Bearer ${init.token}`);
  return new Request("http://web.test/scim/v2/Users", { ...init, headers }) as NextRequest;
}

let tokenSeq = 0;
beforeEach(() => {
  tokenSeq += 1;
  authenticate.mockReset();
  authenticate.mockImplementation(async (token) =>
    token === "good" ? { organizationId: ORG, tokenId: `t${tokenSeq}` } : null,
  );
});

describe("scimRoute", () => {
  it("answers 401 as a SCIM error without a bearer token or with a bad one, never reaching the handler", async () => {
    const handler = vi.fn(async () => ({ ok: true }));
    const route = scimRoute(handler);
    for (const req of [request(), request({ token: "bad" }), request({ headers: { authorization: "Basic abc" } })]) {
      const response = await route(req, noParams);
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toBe(SCIM_CONTENT_TYPE);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await response.json()).toMatchObject({
        schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
        status: "401",
      });
    }
    expect(handler).not.toHaveBeenCalled();
  });

  it("answers SCIM JSON with the request id and no caching", async () => {
    const route = scimRoute(async (_req, { scim }) => ({ organizationId: scim.organizationId }));
    const response = await route(request({ token: "good" }), noParams);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(SCIM_CONTENT_TYPE);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-request-id")).toBeTruthy();
    expect(await response.json()).toEqual({ organizationId: ORG });
  });

  it("answers 201 with Location for a create and 204 for nothing", async () => {
    const resource = { id: "u1", meta: { location: "https://devflow.test/scim/v2/Users/u1" } };
    const created = await scimRoute(async () => scimCreated(resource))(request({ token: "good" }), noParams);
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(resource.meta.location);
    const empty = await scimRoute(async () => undefined)(request({ token: "good" }), noParams);
    expect(empty.status).toBe(204);
  });

  it("carries the domain's scimType into the error body", async () => {
    const route = scimRoute(async () => {
      throw new AppError("conflict", "ada@example.com is already a member", {
        report: false,
        details: { scimType: "uniqueness" },
      });
    });
    const response = await route(request({ token: "good" }), noParams);
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "409",
      scimType: "uniqueness",
      detail: "ada@example.com is already a member",
    });
  });

  it("answers invalidSyntax for malformed JSON and for bodies that break the schema, accepting application/scim+json", async () => {
    const route = scimRoute(async (req) => readScimBody(req, ScimUserInputSchema));
    const post = (body: string) =>
      route(request({ token: "good", method: "POST", body, headers: { "content-type": SCIM_CONTENT_TYPE } }), noParams);
    const broken = await post("{");
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ scimType: "invalidSyntax" });
    const noUserName = await post(JSON.stringify({ name: { formatted: "Ada" } }));
    expect(await noUserName.json()).toMatchObject({ status: "400", scimType: "invalidSyntax" });
    const ok = await post(JSON.stringify({ userName: "ada@example.com" }));
    expect(ok.status).toBe(200);
  });

  it("refuses a body over 1 MB with 413", async () => {
    const route = scimRoute(async (req) => readScimBody(req, ScimUserInputSchema));
    const big = JSON.stringify({ userName: "a@b.co", displayName: "x".repeat(1024 * 1024) });
    const response = await route(
      request({ token: "good", method: "POST", body: big, headers: { "content-type": "application/json" } }),
      noParams,
    );
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toBe(SCIM_CONTENT_TYPE);
  });

  it("hides unexpected errors behind a 500 that names the request id", async () => {
    const route = scimRoute(async () => {
      throw new Error("connection refused to 10.0.0.5");
    });
    const response = await route(request({ token: "good" }), noParams);
    expect(response.status).toBe(500);
    const body = (await response.json()) as { detail: string };
    expect(body.detail).not.toContain("10.0.0.5");
    expect(body.detail).toContain(response.headers.get("x-request-id"));
    expect(logged).toHaveBeenCalledOnce();
  });
});
