import { z } from "zod";

/**
 * Issue triage: suggested priority, labels, component and likely duplicates for a GitHub issue
 * (stored with the issue when it is opened) or for a passage of a design doc (on demand). Every
 * suggestion says which words led to it; nothing is applied on the tracker by itself.
 */

export const TRIAGE_PRIORITIES = ["P1", "P2", "P3"] as const;
export const TriagePrioritySchema = z.enum(TRIAGE_PRIORITIES);
export type TriagePriority = z.infer<typeof TriagePrioritySchema>;

/** The most likely duplicates one triage lists. */
export const TRIAGE_DUPLICATES_MAX = 5;
/** The longest passage `POST /api/v1/triage` takes. */
export const TRIAGE_TEXT_MAX = 20_000;

/** A suggestion and the words of the issue that led to it. */
export interface TriageReasoned<T> {
  value: T;
  because: string[];
}
const reasoned = <T extends z.ZodType>(value: T) => z.object({ value, because: z.array(z.string().max(100)).max(20) });

export const TriageDuplicateSchema = z.object({
  issueId: z.uuid(),
  repositoryFullName: z.string(),
  number: z.number().int().positive(),
  title: z.string(),
  state: z.string(),
  url: z.string().nullable(),
  /** Cosine similarity of the two texts' embeddings, 0–1. */
  similarity: z.number().min(-1).max(1),
});
export type TriageDuplicateDto = z.infer<typeof TriageDuplicateSchema>;

export const TriageSuggestionSchema = z.object({
  priority: reasoned(TriagePrioritySchema),
  labels: z.array(reasoned(z.string())),
  component: reasoned(z.string()).nullable(),
  duplicates: z.array(TriageDuplicateSchema).max(TRIAGE_DUPLICATES_MAX),
  /** The embedding model duplicates were found with; with a lexical one, "similar" means shared words. */
  embeddingModel: z.string(),
  semantic: z.boolean(),
  triagedAt: z.iso.datetime(),
});
export type TriageSuggestionDto = z.infer<typeof TriageSuggestionSchema>;

/** `POST /api/v1/triage`: triage a passage (of a design doc, say) against an organization's issues. */
export const TriagePassageInputSchema = z.strictObject({
  text: z.string().trim().min(1).max(TRIAGE_TEXT_MAX),
  /** Only this repository's labels, components and issues; all of the organization's when absent. */
  repositoryId: z.uuid().optional(),
});
export type TriagePassageInput = z.infer<typeof TriagePassageInputSchema>;
