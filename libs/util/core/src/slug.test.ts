import { describe, expect, it } from "vitest";
import { projectKeyFrom, slugify } from "./slug";

describe("slugify", () => {
  it("turns a company name into a URL-safe slug", () => {
    expect(slugify("Acme Robotics, Inc.")).toBe("acme-robotics-inc");
  });
  it("strips accents rather than dropping the letters", () => {
    expect(slugify("Café Zürich")).toBe("cafe-zurich");
  });
  it("never returns an empty slug", () => {
    expect(slugify("!!!")).toBe("org");
  });
});

describe("projectKeyFrom", () => {
  it("uses initials for several words", () => {
    expect(projectKeyFrom("Payments Platform")).toBe("PP");
  });
  it("uses the start of a single word", () => {
    expect(projectKeyFrom("Core")).toBe("CORE");
  });
  it("always yields a key the contract accepts", () => {
    for (const name of ["x", "42", "a b c d e f g h i j k l", "日本語"]) {
      expect(projectKeyFrom(name)).toMatch(/^[A-Z][A-Z0-9]{1,9}$/);
    }
  });
});
