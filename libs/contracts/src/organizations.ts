import { z } from "zod";

export const MEMBER_ROLES = ["owner", "admin", "member", "viewer"] as const;
export const MemberRoleSchema = z.enum(MEMBER_ROLES);
export type MemberRole = z.infer<typeof MemberRoleSchema>;

export const ORGANIZATION_NAME_MAX = 80;

export const OrganizationSchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  createdAt: z.iso.datetime(),
});
export type OrganizationDto = z.infer<typeof OrganizationSchema>;

/** An organization as one of its members sees it in the switcher. */
export const MyOrganizationSchema = OrganizationSchema.extend({ role: MemberRoleSchema });
export type MyOrganizationDto = z.infer<typeof MyOrganizationSchema>;

export const CreateOrganizationInputSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(ORGANIZATION_NAME_MAX),
});
export type CreateOrganizationInput = z.infer<typeof CreateOrganizationInputSchema>;

export const UserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  avatarUrl: z.string().nullable(),
});
export type UserDto = z.infer<typeof UserSchema>;

export const MemberSchema = z.object({
  user: UserSchema,
  role: MemberRoleSchema,
  joinedAt: z.iso.datetime(),
});
export type MemberDto = z.infer<typeof MemberSchema>;
