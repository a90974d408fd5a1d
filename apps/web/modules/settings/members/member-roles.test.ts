import { describe, expect, it } from "vitest";
import { canManageMember, grantableRoles } from "./member-roles";

describe("member roles on the members page", () => {
  it("offers admins every role but owner, owners all of them, and others none", () => {
    expect(grantableRoles("owner")).toEqual(["owner", "admin", "member", "viewer"]);
    expect(grantableRoles("admin")).toEqual(["admin", "member", "viewer"]);
    expect(grantableRoles("member")).toEqual([]);
    expect(grantableRoles("viewer")).toEqual([]);
  });

  it("lets only owners act on owners", () => {
    expect(canManageMember("admin", "owner")).toBe(false);
    expect(canManageMember("owner", "owner")).toBe(true);
    expect(canManageMember("admin", "admin")).toBe(true);
    expect(canManageMember("member", "viewer")).toBe(false);
  });
});
