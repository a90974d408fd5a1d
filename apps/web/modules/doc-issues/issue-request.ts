import {
  CreateIssueFromPassageInputSchema,
  ISSUE_PASSAGE_MAX,
  type CreateIssueFromPassageInput,
  type DocumentIssueLinkDto,
  type RepositoryDto,
} from "@devflow/contracts";

export type Tracker = DocumentIssueLinkDto["provider"];

export const TRACKER_LABELS: Record<Tracker, string> = { github: "GitHub", jira: "Jira", linear: "Linear" };

/** The order trackers are offered in. */
const TRACKERS: readonly Tracker[] = ["github", "jira", "linear"];

export interface IssueForm {
  tracker: Tracker | null;
  repositoryId: string;
  projectKey: string;
  issueType: string;
  teamId: string;
  title: string;
}

export const EMPTY_ISSUE_FORM: IssueForm = {
  tracker: null,
  repositoryId: "",
  projectKey: "",
  issueType: "Task",
  teamId: "",
  title: "",
};

/** The form's fields a message can belong to; anything else is shown above the buttons. */
export type IssueField = "tracker" | "repositoryId" | "projectKey" | "issueType" | "teamId" | "title" | "passage";

export type FieldMessages = Partial<Record<IssueField, string>>;

/**
 * The trackers to offer: the connected ones (the server's answer), GitHub only once the
 * repositories list has answered with a GitHub repository to file into.
 */
export function availableTrackers(
  connected: readonly Tracker[],
  repositories: readonly RepositoryDto[] | undefined,
): Tracker[] {
  const hasRepository = githubRepositories(repositories).length > 0;
  return TRACKERS.filter((t) => connected.includes(t) && (t !== "github" || hasRepository));
}

export function githubRepositories(repositories: readonly RepositoryDto[] | undefined): RepositoryDto[] {
  return (repositories ?? []).filter((r) => r.provider === "github");
}

/** The selected passage, or why it cannot become an issue. */
export function passageProblem(passage: string): string | null {
  if (!passage.trim()) return "Select the passage the issue is about first.";
  if (passage.length > ISSUE_PASSAGE_MAX) {
    return `The passage is ${passage.length.toLocaleString("en")} characters; select at most ${ISSUE_PASSAGE_MAX.toLocaleString("en")}.`;
  }
  return null;
}

/** What to say under each field when the contract refuses a value, in the form's words. */
const FIELD_MESSAGES: Partial<Record<IssueField, string>> = {
  tracker: "Choose where to file the issue.",
  repositoryId: "Choose a repository.",
  projectKey: "Enter a Jira project key, like PAY (capital letters, digits or _; at most 10).",
  issueType: "Enter an issue type, like Task.",
  teamId: "Enter the Linear team's id.",
  title: "A title has at most 120 characters.",
};

/**
 * The request body for the form, checked against the same schema the server parses, or a message
 * per field that needs fixing. Blank optional fields are left out, and a Jira key is upper-cased
 * (keys are always capitals, and "pay" is plainly meant as PAY).
 */
export function buildIssueRequest(
  form: IssueForm,
  passage: string,
): { ok: true; input: CreateIssueFromPassageInput } | { ok: false; fields: FieldMessages } {
  const problem = passageProblem(passage);
  if (form.tracker === null) return { ok: false, fields: { tracker: FIELD_MESSAGES.tracker } };
  const title = form.title.trim() ? { title: form.title.trim() } : {};
  const candidate: CreateIssueFromPassageInput =
    form.tracker === "github"
      ? { tracker: "github", repositoryId: form.repositoryId, passage, ...title }
      : form.tracker === "jira"
        ? {
            tracker: "jira",
            projectKey: form.projectKey.trim().toUpperCase(),
            issueType: form.issueType.trim() || "Task",
            passage,
            ...title,
          }
        : { tracker: "linear", teamId: form.teamId.trim(), passage, ...title };
  const parsed = CreateIssueFromPassageInputSchema.safeParse(candidate);
  if (parsed.success && !problem) return { ok: true, input: candidate };
  const fields: FieldMessages = problem ? { passage: problem } : {};
  for (const issue of parsed.error?.issues ?? []) {
    const field = issue.path[0] as IssueField;
    if (field !== "passage") fields[field] ??= FIELD_MESSAGES[field] ?? issue.message;
  }
  return { ok: false, fields };
}

/** The server's per-field problems (422/400 `details.issues`) by form field; the rest stay in the summary. */
export function serverFieldMessages(issues: readonly { path: string; message: string }[]): FieldMessages {
  const fields: FieldMessages = {};
  for (const issue of issues) {
    const field = issue.path.split(".")[0] as IssueField;
    if (field in FIELD_MESSAGES || field === "passage") fields[field] ??= issue.message;
  }
  return fields;
}
