import { describe, expect, it } from "vitest";
import { roleFromGroups } from "./role-mapping";

describe("roleFromGroups", () => {
  const map = { engineers: "member", "eng-admins": "admin", contractors: "viewer" } as const;

  it("grants the highest role among the mapped groups", () => {
    expect(roleFromGroups(["contractors", "eng-admins", "engineers"], map)).toBe("admin");
    expect(roleFromGroups(["contractors", "engineers"], map)).toBe("member");
  });

  it("answers null when no group is mapped", () => {
    expect(roleFromGroups(["sales"], map)).toBeNull();
    expect(roleFromGroups([], map)).toBeNull();
  });

  it("ignores inherited keys and an owner mapping written by hand", () => {
    expect(roleFromGroups(["toString", "constructor"], map)).toBeNull();
    expect(roleFromGroups(["root"], { root: "owner" } as never)).toBeNull();
  });
});
