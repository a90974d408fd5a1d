import { z } from "zod";
import { PageQuerySchema } from "./pagination";

export const PROJECT_NAME_MAX = 80;
export const PROJECT_DESCRIPTION_MAX = 2_000;

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

export const CreateProjectInputSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(PROJECT_NAME_MAX),
  key: ProjectKeySchema.optional(),
  description: z.string().max(PROJECT_DESCRIPTION_MAX).default(""),
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
  archived: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
});
export type ListProjectsQuery = z.infer<typeof ListProjectsQuerySchema>;
