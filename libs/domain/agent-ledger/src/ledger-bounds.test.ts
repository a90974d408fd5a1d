import { LEDGER_REDACTED, LEDGER_TRUNCATED_KEY } from "@devflow/contracts";
import { describe, expect, it } from "vitest";
import { boundJson, boundText, cutToBytes, diffStats, isSecretKey, redactSecrets, utf8Bytes } from "./ledger-bounds";

describe("redactSecrets", () => {
  it("replaces values under secret-looking keys, at any depth", () => {
    const input = {
      query: "rollout plan",
      apiKey: "abc",
      nested: { access_token: "x", clientSecret: "y", "X-Password": "z", list: [{ authorization: "Basic q" }] },
    };
    expect(redactSecrets(input)).toEqual({
      query: "rollout plan",
      apiKey: LEDGER_REDACTED,
      nested: {
        access_token: LEDGER_REDACTED,
        clientSecret: LEDGER_REDACTED,
        "X-Password": LEDGER_REDACTED,
        list: [{ authorization: LEDGER_REDACTED }],
      },
    });
  });

  it("keeps token counts and ids, which only sound like secrets", () => {
    for (const key of ["maxTokens", "inputTokens", "tokenId", "token_count"]) expect(isSecretKey(key)).toBe(false);
    for (const key of ["token", "refreshToken", "password", "private_key", "cookie"])
      expect(isSecretKey(key)).toBe(true);
  });

  it("masks credential-shaped strings wherever they are", () => {
    const token = `dfp_${"a".repeat(32)}_${"B".repeat(43)}`;
    const out = redactSecrets({
      note: `use ${token} or Bearer abc.def-ghi_jkl please`,
      key: ["sk-ant-0123456789abcdefXYZ"],
    });
    expect(out).toEqual({
      note: `use ${LEDGER_REDACTED} or ${LEDGER_REDACTED} please`,
      key: [LEDGER_REDACTED],
    });
  });

  it("turns what JSON cannot hold into plain values and survives cycles", () => {
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    const shared = { a: 1 };
    expect(
      redactSecrets({
        when: new Date("2026-01-02T03:04:05.000Z"),
        big: 10n,
        nan: Number.NaN,
        fn: () => 1,
        skip: undefined,
        error: new Error("boom"),
        cyclic,
        twice: [shared, shared],
      }),
    ).toEqual({
      when: "2026-01-02T03:04:05.000Z",
      big: "10",
      nan: null,
      error: { name: "Error", message: "boom" },
      cyclic: { name: "loop", self: "[circular]" },
      twice: [{ a: 1 }, { a: 1 }],
    });
    expect(redactSecrets(undefined)).toBeNull();
  });
});

describe("bounds", () => {
  it("keeps JSON that fits and replaces what does not with a marker that fits", () => {
    expect(boundJson({ q: "x" }, 100)).toEqual({ q: "x" });
    const big = { text: '"quoted" '.repeat(5_000) };
    const bounded = boundJson(big, 16 * 1024) as Record<string, unknown>;
    expect(bounded[LEDGER_TRUNCATED_KEY]).toBe(true);
    expect(bounded.originalBytes).toBe(utf8Bytes(JSON.stringify(big)));
    expect(String(bounded.preview).startsWith('{"text":"\\"quoted\\"')).toBe(true);
    expect(utf8Bytes(JSON.stringify(bounded))).toBeLessThanOrEqual(16 * 1024);
  });

  it("cuts UTF-8 text without splitting a character", () => {
    expect(cutToBytes("héllo", 2)).toBe("h");
    expect(cutToBytes("héllo", 3)).toBe("hé");
    expect(cutToBytes("😀😀", 5)).toBe("😀");
  });

  it("cuts long text to the limit and says so on a last line", () => {
    expect(boundText("short", 100, "diff")).toBe("short");
    const diff = "+line\n".repeat(20_000);
    const bounded = boundText(diff, 64 * 1024, "diff");
    expect(utf8Bytes(bounded)).toBeLessThanOrEqual(64 * 1024);
    expect(bounded).toMatch(/\n\\ diff truncated: 120000 bytes, the first 65536 kept$/);
  });

  it("counts the lines a diff adds and removes, not its file headers", () => {
    const diff = ["--- a/doc.md", "+++ b/doc.md", "@@ -1,2 +1,2 @@", " same", "-old", "+new", "+more"].join("\n");
    expect(diffStats(diff)).toEqual({ added: 2, removed: 1 });
  });
});
