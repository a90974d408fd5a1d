import { describe, expect, it } from "vitest";
import { can } from "./policy";

const as = (role: "owner" | "admin" | "member" | "viewer") => ({ userId: "u", role });

describe("can", () => {
  it("lets viewers read but never write", () => {
    expect(can(as("viewer"), "document:read")).toBe(true);
    expect(can(as("viewer"), "document:update")).toBe(false);
    expect(can(as("viewer"), "project:create")).toBe(false);
  });
  it("lets members write documents but not delete projects or manage members", () => {
    expect(can(as("member"), "document:delete")).toBe(true);
    expect(can(as("member"), "project:delete")).toBe(false);
    expect(can(as("member"), "members:manage")).toBe(false);
  });
  it("keeps deleting the organization to owners", () => {
    expect(can(as("admin"), "organization:delete")).toBe(false);
    expect(can(as("owner"), "organization:delete")).toBe(true);
  });
});
