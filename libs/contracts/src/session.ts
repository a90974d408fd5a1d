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
