import { z } from "zod";

/**
 * Issues made from a passage of a design doc, in GitHub, Jira or Linear: the issue quotes the
 * passage, lists acceptance criteria taken from its words and links back to the doc; the doc lists
 * the issues made from it.
 */

/** The longest passage an issue is made from. */
export const ISSUE_PASSAGE_MAX = 10_000;

const Passage = z.string().trim().min(1).max(ISSUE_PASSAGE_MAX);
const Title = z.string().trim().min(1).max(120).optional();

/** `POST /api/v1/documents/:documentId/issues`. The passage must be in the document's current text. */
export const CreateIssueFromPassageInputSchema = z.discriminatedUnion("tracker", [
  z.strictObject({
    tracker: z.literal("github"),
    /** A connected repository (GET /repositories). */
    repositoryId: z.uuid(),
    passage: Passage,
    title: Title,
  }),
  z.strictObject({
    tracker: z.literal("jira"),
    projectKey: z
      .string()
      .trim()
      .regex(/^[A-Z][A-Z0-9_]{0,9}$/, "a Jira project key, like PAY"),
    issueType: z.string().trim().min(1).max(60).default("Task"),
    passage: Passage,
    title: Title,
  }),
  z.strictObject({
    tracker: z.literal("linear"),
    teamId: z.string().trim().min(1).max(100),
    passage: Passage,
    title: Title,
  }),
]);
export type CreateIssueFromPassageInput = z.input<typeof CreateIssueFromPassageInputSchema>;
export type CreateIssueFromPassage = z.output<typeof CreateIssueFromPassageInputSchema>;

export const DocumentIssueLinkSchema = z.object({
  id: z.uuid(),
  documentId: z.uuid(),
  provider: z.enum(["github", "jira", "linear"]),
  /** "acme/api#42", "PAY-7", "ENG-12". */
  externalKey: z.string(),
  url: z.string(),
  title: z.string(),
  /** The start of the passage it was made from. */
  passage: z.string(),
  createdAt: z.iso.datetime(),
});
export type DocumentIssueLinkDto = z.infer<typeof DocumentIssueLinkSchema>;

export const CreatedIssueSchema = DocumentIssueLinkSchema.extend({
  acceptanceCriteria: z.array(z.string()),
});
export type CreatedIssueDto = z.infer<typeof CreatedIssueSchema>;

export const DocumentIssueLinkListSchema = z.object({ items: z.array(DocumentIssueLinkSchema) });

/**
 * `GET /api/v1/issue-trackers`: the trackers issues can be filed in (connected with credentials,
 * enabled), for every member — the integrations list itself is for admins.
 */
export const IssueTrackersSchema = z.object({ trackers: z.array(z.enum(["github", "jira", "linear"])) });
export type IssueTrackersDto = z.infer<typeof IssueTrackersSchema>;
