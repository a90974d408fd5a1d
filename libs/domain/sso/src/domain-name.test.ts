import { describe, expect, it } from "vitest";
import { emailDomain, normalizeDomain } from "./domain-name";

describe("normalizeDomain", () => {
  it("lowercases, trims and drops a trailing dot", () => {
    expect(normalizeDomain("  Example.COM. ")).toBe("example.com");
  });

  it("stores internationalized domains as punycode", () => {
    expect(normalizeDomain("Bücher.example")).toBe("xn--bcher-kva.example");
  });

  it.each(["com", "localhost", "co.uk", "github.io"])("refuses %s, which is not one organization's", (domain) => {
    expect(() => normalizeDomain(domain)).toThrow(expect.objectContaining({ code: "validation_failed" }));
  });

  it.each(["10.0.0.1", "[::1]", "::1", "1.2.3.4."])("refuses the IP address %s", (domain) => {
    expect(() => normalizeDomain(domain)).toThrow(/IP address|not a valid/);
  });

  it.each(["exa mple.com", "-bad.com", "a..com", "example.123", "https://example.com"])("refuses %s", (domain) => {
    expect(() => normalizeDomain(domain)).toThrow(expect.objectContaining({ code: "validation_failed" }));
  });
});

describe("emailDomain", () => {
  it("returns the normalized domain of an address", () => {
    expect(emailDomain("Ada@Sub.Example.com")).toBe("sub.example.com");
  });

  it("returns null for addresses without a usable domain", () => {
    expect(emailDomain("no-at-sign")).toBeNull();
    expect(emailDomain("ada@")).toBeNull();
    expect(emailDomain("ada@localhost")).toBeNull();
  });
});
