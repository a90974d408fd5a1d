import { z } from "zod";
import { MemberRoleSchema } from "./organizations";
import { PageQuerySchema } from "./pagination";

export const PROJECT_NAME_MAX = 80;
export const PROJECT_DESCRIPTION_MAX = 2_000;
/** Most people and groups one private project may list; larger audiences belong in a group. */
export const PROJECT_ACCESS_USERS_MAX = 500;
export const PROJECT_ACCESS_GROUPS_MAX = 100;
export const GROUP_SEARCH_MAX = 100;

export const ProjectVisibilitySchema = z.enum(["organization", "private"]);
export type ProjectVisibility = z.infer<typeof ProjectVisibilitySchema>;

export const ProjectSchema = z.object({
  id: z.uuid(),
  key: z.string(),
  name: z.string(),
  description: z.string(),
  visibility: ProjectVisibilitySchema,
  documentCount: z.number().int(),
  archivedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ProjectDto = z.infer<typeof ProjectSchema>;

export const ProjectKeySchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][A-Z0-9]{1,9}$/, "Key is 2–10 letters or digits, starting with a letter");

const uniqueIds = (max: number, noun: string) =>
  z
    .array(z.uuid())
    .max(max, `At most ${max} ${noun} per project`)
    .transform((ids) => [...new Set(ids)]);

export const CreateProjectInputSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(PROJECT_NAME_MAX),
  key: ProjectKeySchema.optional(),
  description: z.string().max(PROJECT_DESCRIPTION_MAX).default(""),
  /** Absent means open to the organization. */
  visibility: ProjectVisibilitySchema.optional(),
  /** Who may see a private project from the start; its creator is added to a private project's list. */
  userIds: uniqueIds(PROJECT_ACCESS_USERS_MAX, "people").optional(),
  groupIds: uniqueIds(PROJECT_ACCESS_GROUPS_MAX, "groups").optional(),
});
export type CreateProjectInput = z.infer<typeof CreateProjectInputSchema>;

export const UpdateProjectInputSchema = z
  .object({
    name: z.string().trim().min(1).max(PROJECT_NAME_MAX),
    description: z.string().max(PROJECT_DESCRIPTION_MAX),
    archived: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "Nothing to update");
export type UpdateProjectInput = z.infer<typeof UpdateProjectInputSchema>;

export const ListProjectsQuerySchema = PageQuerySchema.extend({
  archived: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
});
export type ListProjectsQuery = z.infer<typeof ListProjectsQuerySchema>;

/** A person on a private project's list, with their role in the organization. */
export const ProjectAccessMemberSchema = z.object({
  userId: z.uuid(),
  name: z.string(),
  email: z.string(),
  role: MemberRoleSchema,
});
export type ProjectAccessMemberDto = z.infer<typeof ProjectAccessMemberSchema>;

export const ProjectAccessGroupSchema = z.object({
  groupId: z.uuid(),
  name: z.string(),
  memberCount: z.number().int(),
});
export type ProjectAccessGroupDto = z.infer<typeof ProjectAccessGroupSchema>;

/**
 * Who may see a project. The lists are kept while the project is open to the organization, so
 * making it private again restores them; they only take effect while it is private.
 */
export const ProjectAccessSchema = z.object({
  projectId: z.uuid(),
  visibility: ProjectVisibilitySchema,
  members: z.array(ProjectAccessMemberSchema),
  groups: z.array(ProjectAccessGroupSchema),
  /** Whether the caller may change this (admins, owners and the project's creator). */
  canManage: z.boolean(),
});
export type ProjectAccessDto = z.infer<typeof ProjectAccessSchema>;

/** Replaces the whole list: anyone not named loses access to a private project at once. */
export const SetProjectAccessInputSchema = z.object({
  visibility: ProjectVisibilitySchema,
  userIds: uniqueIds(PROJECT_ACCESS_USERS_MAX, "people").default([]),
  groupIds: uniqueIds(PROJECT_ACCESS_GROUPS_MAX, "groups").default([]),
});
export type SetProjectAccessInput = z.infer<typeof SetProjectAccessInputSchema>;

/** A group of the organization, as the sharing picker lists it. */
export const GroupSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  memberCount: z.number().int(),
  /** Pushed by the identity provider (SCIM) rather than made by hand. */
  isExternal: z.boolean(),
});
export type GroupSummaryDto = z.infer<typeof GroupSummarySchema>;

export const ListGroupsQuerySchema = PageQuerySchema.extend({
  /** Part of the group's name, any case. */
  q: z.string().trim().max(GROUP_SEARCH_MAX).optional(),
});
export type ListGroupsQuery = z.infer<typeof ListGroupsQuerySchema>;
