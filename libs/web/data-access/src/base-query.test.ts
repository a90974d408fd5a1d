import type { BaseQueryApi } from "@reduxjs/toolkit/query";
import { describe, expect, it } from "vitest";
import { errorMessage, fieldIssues } from "./api-error";
import { createBaseQuery, ORGANIZATION_HEADER, toApiError } from "./base-query";

const queryApi = (): BaseQueryApi => ({
  signal: new AbortController().signal,
  abort: () => {},
  dispatch: () => {},
  getState: () => ({}),
  extra: undefined,
  endpoint: "test",
  type: "query",
});

function respondWith(response: Response | Error) {
  const seen: Request[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit) => {
    seen.push(new Request(input, init));
    if (response instanceof Error) throw response;
    return response.clone();
  };
  return { fetchFn: fetchFn as typeof fetch, seen };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("createBaseQuery", () => {
  it("turns the error envelope into a typed ApiError with the status, code, message and details", async () => {
    const { fetchFn } = respondWith(
      json(409, { error: { code: "conflict", message: "Project key CORE is taken", details: { key: "CORE" } } }),
    );
    const baseQuery = createBaseQuery({ baseUrl: "http://web.test/api/v1", fetchFn });
    const result = await baseQuery({ url: "/projects", method: "POST", body: { name: "Core" } }, queryApi(), {});
    expect(result.error).toEqual({
      status: 409,
      code: "conflict",
      message: "Project key CORE is taken",
      details: { key: "CORE" },
    });
  });

  it("sends the organization header and a JSON body, and leaves empty query parameters out", async () => {
    const { fetchFn, seen } = respondWith(json(200, { items: [], nextCursor: null }));
    const baseQuery = createBaseQuery({ baseUrl: "http://web.test/api/v1", fetchFn });
    const organizationId = "5b1f2c0e-8d7a-4c1e-9f43-2a6b1e0c9d11";
    const result = await baseQuery(
      { url: "/projects", organizationId, params: { cursor: null, limit: 10, archived: undefined } },
      queryApi(),
      {},
    );
    expect(result.data).toEqual({ items: [], nextCursor: null });
    expect(seen[0]?.headers.get(ORGANIZATION_HEADER)).toBe(organizationId);
    expect(seen[0]?.url).toBe("http://web.test/api/v1/projects?limit=10");
  });

  it("reports an unreachable server as `unavailable` with status 0", async () => {
    const { fetchFn } = respondWith(new TypeError("fetch failed"));
    const baseQuery = createBaseQuery({ baseUrl: "http://web.test/api/v1", fetchFn });
    const result = await baseQuery({ url: "/session" }, queryApi(), {});
    expect(result.error).toMatchObject({ status: 0, code: "unavailable" });
  });

  it("keeps the status of a non-JSON error page and does not pretend it was an envelope", async () => {
    const { fetchFn } = respondWith(new Response("<html>Bad gateway</html>", { status: 502 }));
    const baseQuery = createBaseQuery({ baseUrl: "http://web.test/api/v1", fetchFn });
    const result = await baseQuery({ url: "/session" }, queryApi(), {});
    expect(result.error).toMatchObject({ status: 502, code: "internal" });
    expect(result.error?.message).toMatch(/502/);
  });
});

describe("toApiError", () => {
  it("reads a bare status without an envelope as the matching code", () => {
    expect(toApiError({ status: 401, data: null })).toMatchObject({ status: 401, code: "unauthenticated" });
    expect(toApiError({ status: 404, data: "Not Found" })).toMatchObject({ code: "not_found" });
  });

  it("rejects an envelope whose code is not in the closed table", () => {
    const error = toApiError({ status: 418, data: { error: { code: "teapot", message: "I'm a teapot" } } });
    expect(error.code).not.toBe("teapot");
    expect(error.message).not.toBe("I'm a teapot");
  });
});

describe("errorMessage", () => {
  it("lists the field issues of a validation error instead of a generic message", () => {
    const error = {
      status: 400,
      code: "validation_failed" as const,
      message: "The request is invalid",
      details: { issues: [{ path: "title", message: "Title is required" }] },
    };
    expect(fieldIssues(error)).toEqual([{ path: "title", message: "Title is required" }]);
    expect(errorMessage(error)).toBe("title: Title is required");
  });

  it("returns null when there is no error", () => {
    expect(errorMessage(undefined)).toBeNull();
  });
});
