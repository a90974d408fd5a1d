import { button, emailLayout, escapeHtml, muted, oneLine, paragraph, safeHref, type MailContent } from "@devflow/mail";

export interface CommentEmailInput {
  kind: "comment.mentioned" | "comment.replied";
  /** Who wrote the comment. */
  authorName: string;
  documentTitle: string;
  /** The quoted comment, already shortened. */
  excerpt: string;
  /** The document on the web app (`<webBaseUrl>/<orgSlug>/documents/<id>`). */
  documentUrl: string;
  /** The recipient's notification settings in this organization. */
  preferencesUrl: string;
}

/**
 * The email copy of a comment notification: who, where, the comment quoted, one button to the
 * document, and where to turn these emails off. Every user-provided string (names, the title, the
 * comment) is escaped in the HTML part and kept on one line in the subject.
 */
export function commentNotificationEmail(input: CommentEmailInput): MailContent {
  const href = safeHref(input.documentUrl);
  const settings = safeHref(input.preferencesUrl);
  const what = input.kind === "comment.mentioned" ? "mentioned you in" : "replied to a thread you are in on";
  const subject = `${oneLine(input.authorName)} ${what} “${oneLine(input.documentTitle)}”`;
  const optOut = "You get this email because of your notification settings.";
  return {
    subject,
    text: [
      `${input.authorName} ${what} “${input.documentTitle}”:`,
      "",
      ...quoteLines(input.excerpt),
      "",
      "Open the document:",
      href,
      "",
      `${optOut} Change them: ${settings}`,
    ].join("\n"),
    html: emailLayout(
      [
        paragraph(
          `<strong>${escapeHtml(input.authorName)}</strong> ${what} <strong>${escapeHtml(input.documentTitle)}</strong>:`,
        ),
        quote(input.excerpt),
        button(href, "Open the document"),
        muted(`${escapeHtml(optOut)} <a href="${escapeHtml(settings)}" style="color:#4f46e5;">Change them</a>.`),
      ].join(""),
    ),
  };
}

export type DocumentMentionEmailInput = Omit<CommentEmailInput, "kind">;

/**
 * The email copy of a mention in a document's text: worded as a comment's mention ("Ada mentioned
 * you in “Plan”"), quoting the lines around it. `authorName` is who wrote the mention.
 */
export function documentMentionEmail(input: DocumentMentionEmailInput): MailContent {
  return commentNotificationEmail({ ...input, kind: "comment.mentioned" });
}

export interface FailedJobEmailInput {
  organizationName: string;
  /** One line: which handler failed on which event, after how many attempts. */
  summary: string;
  /** The last attempt's error, already shortened; null when there is none. */
  error: string | null;
  /** The organization's failed jobs (`<webBaseUrl>/<orgSlug>/settings/integrations`). */
  failedJobsUrl: string;
  /** The recipient's notification settings in this organization. */
  preferencesUrl: string;
}

/**
 * The email copy of a failed job, for the organization's admins: what failed, the error quoted,
 * and one button to the failed jobs, where they can retry it.
 */
export function failedJobEmail(input: FailedJobEmailInput): MailContent {
  const href = safeHref(input.failedJobsUrl);
  const settings = safeHref(input.preferencesUrl);
  const intro = `A background job in ${input.organizationName} gave up after its last retry:`;
  const optOut = "You get this email because you are an admin and because of your notification settings.";
  return {
    subject: `${oneLine(input.organizationName)}: ${oneLine(input.summary)}`,
    text: [
      intro,
      "",
      input.summary,
      ...(input.error ? ["", ...quoteLines(input.error)] : []),
      "",
      "Review and retry it:",
      href,
      "",
      `${optOut} Change them: ${settings}`,
    ].join("\n"),
    html: emailLayout(
      [
        paragraph(escapeHtml(intro)),
        paragraph(`<strong>${escapeHtml(input.summary)}</strong>`),
        input.error ? quote(input.error) : "",
        button(href, "Review failed jobs"),
        muted(`${escapeHtml(optOut)} <a href="${escapeHtml(settings)}" style="color:#4f46e5;">Change them</a>.`),
      ].join(""),
    ),
  };
}

export interface ProjectSharedEmailInput {
  /** Who gave the access. */
  sharerName: string;
  projectName: string;
  /** The project's description, already shortened; may be empty. */
  description: string;
  /** The project on the web app (`<webBaseUrl>/<orgSlug>/projects/<id>`). */
  projectUrl: string;
  /** The recipient's notification settings in this organization. */
  preferencesUrl: string;
}

/** The email copy of a project shared with someone: who, which project, one button to it. */
export function projectSharedEmail(input: ProjectSharedEmailInput): MailContent {
  const href = safeHref(input.projectUrl);
  const settings = safeHref(input.preferencesUrl);
  const optOut = "You get this email because of your notification settings.";
  return {
    subject: `${oneLine(input.sharerName)} shared “${oneLine(input.projectName)}” with you`,
    text: [
      `${input.sharerName} gave you access to the private project “${input.projectName}”.`,
      ...(input.description ? ["", ...quoteLines(input.description)] : []),
      "",
      "Open the project:",
      href,
      "",
      `${optOut} Change them: ${settings}`,
    ].join("\n"),
    html: emailLayout(
      [
        paragraph(
          `<strong>${escapeHtml(input.sharerName)}</strong> gave you access to the private project ` +
            `<strong>${escapeHtml(input.projectName)}</strong>.`,
        ),
        input.description ? quote(input.description) : "",
        button(href, "Open the project"),
        muted(`${escapeHtml(optOut)} <a href="${escapeHtml(settings)}" style="color:#4f46e5;">Change them</a>.`),
      ].join(""),
    ),
  };
}

function quoteLines(excerpt: string): string[] {
  return excerpt.split(/\r?\n/).map((line) => `> ${line}`);
}

function quote(text: string): string {
  const html = escapeHtml(text).replace(/\r?\n/g, "<br>");
  return (
    '<blockquote style="margin:0 0 20px;padding:8px 14px;border-left:3px solid #c7c9d6;color:#3d4152;' +
    `font-size:15px;line-height:1.5;white-space:normal;">${html}</blockquote>`
  );
}
