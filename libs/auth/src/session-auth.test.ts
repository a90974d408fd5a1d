import { describe, expect, it } from "vitest";
import { ssoRequirementMet, type SessionAuth } from "./session-auth";

const acme = "7d3c5b1a-2e4f-4a6b-8c9d-0e1f2a3b4c5d";
const globex = "0b8a1f0e-6a53-4d7e-9c1a-3f2b7d9e4c10";

describe("ssoRequirementMet", () => {
  const viaAcme: SessionAuth = { method: "sso", organizationId: acme, connectionId: "c1" };

  it("lets any session into an organization that does not enforce SSO", () => {
    expect(ssoRequirementMet({ method: "email" }, acme, false)).toBe(true);
    expect(ssoRequirementMet({ method: "dev" }, acme, false)).toBe(true);
  });

  it("requires the organization's own SSO when it enforces it", () => {
    expect(ssoRequirementMet(viaAcme, acme, true)).toBe(true);
    expect(ssoRequirementMet({ method: "email" }, acme, true)).toBe(false);
    expect(ssoRequirementMet({ method: "github" }, acme, true)).toBe(false);
  });

  it("does not accept another organization's SSO", () => {
    expect(ssoRequirementMet(viaAcme, globex, true)).toBe(false);
  });
});
