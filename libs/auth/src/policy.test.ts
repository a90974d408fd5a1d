import { describe, expect, it } from "vitest";
import type { Actor, TokenScope } from "./context";
import { can, scopesAllowedFor } from "./policy";

const as = (role: Actor["role"]): Actor => ({ userId: "u", role });
const token = (role: Actor["role"], scopes: TokenScope[]): Actor => ({
  userId: "u",
  role,
  via: { kind: "api_token", tokenId: "t", scopes },
});

describe("can", () => {
  it("lets viewers read but never write", () => {
    expect(can(as("viewer"), "document:read")).toBe(true);
    expect(can(as("viewer"), "document:update")).toBe(false);
    expect(can(as("viewer"), "project:create")).toBe(false);
  });

  it("lets everyone who reads documents comment on them, and only admins remove others' comments", () => {
    expect(can(as("viewer"), "comment:create")).toBe(true);
    expect(can(as("viewer"), "comment:moderate")).toBe(false);
    expect(can(as("member"), "comment:moderate")).toBe(false);
    expect(can(as("admin"), "comment:moderate")).toBe(true);
    expect(can(token("member", ["read"]), "comment:create")).toBe(false);
    expect(can(token("member", ["write"]), "comment:create")).toBe(true);
  });

  it("lets members write documents but not delete projects or manage members", () => {
    expect(can(as("member"), "document:delete")).toBe(true);
    expect(can(as("member"), "project:delete")).toBe(false);
    expect(can(as("member"), "members:manage")).toBe(false);
  });

  it("keeps deleting and handing over the organization to owners", () => {
    expect(can(as("admin"), "organization:delete")).toBe(false);
    expect(can(as("admin"), "organization:transfer")).toBe(false);
    expect(can(as("owner"), "organization:delete")).toBe(true);
    expect(can(as("owner"), "organization:transfer")).toBe(true);
  });

  it("narrows an API token to its scopes, never past the role", () => {
    expect(can(token("owner", ["read"]), "document:read")).toBe(true);
    expect(can(token("owner", ["read"]), "document:update")).toBe(false);
    expect(can(token("owner", ["write"]), "document:update")).toBe(true);
    expect(can(token("owner", ["write"]), "members:manage")).toBe(false);
    expect(can(token("admin", ["admin"]), "members:manage")).toBe(true);
    expect(can(token("viewer", ["admin"]), "document:update")).toBe(false);
  });

  it("never lets a token manage tokens, transfer or delete the organization", () => {
    for (const action of ["api_token:manage_own", "organization:transfer", "organization:delete"] as const) {
      expect(can(token("owner", ["admin"]), action)).toBe(false);
    }
    expect(can(as("viewer"), "api_token:manage_own")).toBe(true);
  });

  it("opens a private project only to its members and to admins", () => {
    const secret = (actorIsMember: boolean) => ({ kind: "project", visibility: "private", actorIsMember }) as const;
    expect(can(as("member"), "document:read", secret(false))).toBe(false);
    expect(can(as("member"), "document:read", secret(true))).toBe(true);
    expect(can(as("admin"), "document:read", secret(false))).toBe(true);
    expect(can(as("viewer"), "document:update", secret(true))).toBe(false);
  });

  it("lets only owners act on owners", () => {
    expect(can(as("admin"), "members:manage", { kind: "member", role: "owner" })).toBe(false);
    expect(can(as("admin"), "members:manage", { kind: "member", role: "member" })).toBe(true);
    expect(can(as("owner"), "members:manage", { kind: "member", role: "owner" })).toBe(true);
  });
});

describe("scopesAllowedFor", () => {
  it("caps token scopes by role", () => {
    expect(scopesAllowedFor("viewer")).toEqual(["read"]);
    expect(scopesAllowedFor("member")).toEqual(["read", "write"]);
    expect(scopesAllowedFor("admin")).toContain("admin");
  });
});

describe("AI activity and the agent ledger", () => {
  it("shows the organization-wide view to admins and owners only", () => {
    expect(can(as("owner"), "ai_activity:read")).toBe(true);
    expect(can(as("admin"), "ai_activity:read")).toBe(true);
    expect(can(as("member"), "ai_activity:read")).toBe(false);
    expect(can(as("viewer"), "ai_activity:read")).toBe(false);
  });

  it("lets every member read their own activity and their projects', even with a read-only token", () => {
    for (const role of ["viewer", "member", "admin", "owner"] as const) {
      expect(can(as(role), "ai_activity:read_own")).toBe(true);
    }
    expect(can(token("viewer", ["read"]), "ai_activity:read_own")).toBe(true);
  });

  it("needs the admin scope for the organization-wide view through a token, and never through SCIM", () => {
    expect(can(token("owner", ["read"]), "ai_activity:read")).toBe(false);
    expect(can(token("owner", ["write"]), "ai_activity:read")).toBe(false);
    expect(can(token("admin", ["admin"]), "ai_activity:read")).toBe(true);
    const scim: Actor = { userId: "u", role: "admin", via: { kind: "scim" } };
    expect(can(scim, "ai_activity:read")).toBe(false);
    expect(can(scim, "ai_activity:read_own")).toBe(false);
  });
});
