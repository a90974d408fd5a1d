export { createSignInPolicyReader } from "./sign-in-policy";
export type { MemberAccess, OrganizationSignInPolicy, SignInPolicyReader } from "./sign-in-policy";
export { createVerificationTokenStore, MAX_PENDING_LINKS } from "./verification-tokens";
export type { VerificationToken, VerificationTokenStore } from "./verification-tokens";
export { createSignInAudit } from "./sign-in-audit";
export type { SignInAudit, SignInEvent } from "./sign-in-audit";
