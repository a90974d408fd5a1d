import { describe, expect, it } from "vitest";
import { assertValidBlobKey } from "./blob-key";
import { InvalidBlobKeyError } from "./blob-store";

describe("assertValidBlobKey", () => {
  it.each(["a", "org-1/doc_2/v3.final.pdf", "A-Z_0-9/x.y.z", "x".repeat(255), `${"x".repeat(200)}/`.repeat(5) + "x"])(
    "accepts %s",
    (key) => {
      expect(() => assertValidBlobKey(key)).not.toThrow();
    },
  );

  it.each([
    ["", "empty"],
    ["/abs/path", "absolute"],
    ["../up", ".."],
    ["a/../b", ".."],
    ["./a", "."],
    ["a//b", "empty path segment"],
    ["a/", "empty path segment"],
    ["a\\b", "letters, digits"],
    ["C:/windows", "letters, digits"],
    ["a b", "letters, digits"],
    ["a/.meta/b", "may not start with '.'"],
    ["new\nline", "letters, digits"],
    ["x".repeat(256), "longer than 255"],
    [`${"x".repeat(100)}/`.repeat(11), "longer than 1024"],
  ])("rejects %j (%s)", (key, reason) => {
    const attempt = () => assertValidBlobKey(key);
    expect(attempt).toThrow(InvalidBlobKeyError);
    expect(attempt).toThrow(reason);
  });
});
