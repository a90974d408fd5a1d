import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-redirect";

describe("safeNextPath", () => {
  it("keeps paths on this site, with their query", () => {
    expect(safeNextPath("/acme/projects/1?tab=docs")).toBe("/acme/projects/1?tab=docs");
    expect(safeNextPath("/invite/abc.def")).toBe("/invite/abc.def");
  });

  it.each([
    "https://evil.example/",
    "//evil.example/path",
    "/\\evil.example",
    "javascript:alert(1)",
    "evil.example",
    "/ok\u0000",
    "",
    null,
    undefined,
  ])("turns %j into /", (next) => {
    expect(safeNextPath(next)).toBe("/");
  });
});
