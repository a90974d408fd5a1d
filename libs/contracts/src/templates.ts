import { z } from "zod";
import { DOCUMENT_CONTENT_MAX, DocumentKindSchema } from "./documents";

export const TEMPLATE_NAME_MAX = 80;
export const TEMPLATE_DESCRIPTION_MAX = 300;
/** Saved templates per organization; the built-in ones do not count. */
export const TEMPLATES_PER_ORGANIZATION_MAX = 200;

/** Built-in templates have ids like "builtin:rfc"; saved ones are UUIDs. */
export const TemplateIdSchema = z.union([z.uuid(), z.string().regex(/^builtin:[a-z_]+$/)]);

export const TemplateSchema = z.object({
  id: TemplateIdSchema,
  name: z.string(),
  description: z.string(),
  kind: DocumentKindSchema,
  content: z.string(),
  builtIn: z.boolean(),
  createdAt: z.iso.datetime().nullable(),
});
export type TemplateDto = z.infer<typeof TemplateSchema>;

export const CreateTemplateInputSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(TEMPLATE_NAME_MAX),
  description: z.string().trim().max(TEMPLATE_DESCRIPTION_MAX).default(""),
  kind: DocumentKindSchema.default("design_doc"),
  content: z.string().max(DOCUMENT_CONTENT_MAX).default(""),
});
export type CreateTemplateInput = z.infer<typeof CreateTemplateInputSchema>;
