import { z } from "zod";
import { MyOrganizationSchema, UserSchema } from "./organizations";

export const SessionSchema = z.object({
  user: UserSchema,
  organizations: z.array(MyOrganizationSchema),
  currentOrganizationId: z.uuid().nullable(),
});
export type SessionDto = z.infer<typeof SessionSchema>;

/** Development-only sign-in as a seeded user; the route does not exist in production builds. */
export const DevSignInInputSchema = z.object({ email: z.email() });
export type DevSignInInput = z.infer<typeof DevSignInInputSchema>;

export const SwitchOrganizationInputSchema = z.object({ organizationId: z.uuid() });
export type SwitchOrganizationInput = z.infer<typeof SwitchOrganizationInputSchema>;

/** Email-first sign-in: the address someone typed, to find out how they sign in. */
export const DiscoverSignInInputSchema = z.object({ email: z.email().max(320) });
export type DiscoverSignInInput = z.infer<typeof DiscoverSignInInputSchema>;

/** How an email address signs in: straight to its organization's IdP, or by link (and GitHub when set up). */
export const SignInOptionsSchema = z.object({
  email: z.string(),
  /** Set when the address's domain is verified by an organization with an SSO connection. */
  sso: z.object({ connectionId: z.uuid(), organizationName: z.string() }).nullable(),
  /** The organization enforces SSO: no other method will be accepted for this address. */
  ssoRequired: z.boolean(),
  github: z.boolean(),
});
export type SignInOptionsDto = z.infer<typeof SignInOptionsSchema>;
