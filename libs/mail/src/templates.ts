import type { MailMessage } from "./mailer";
import { button, emailLayout, muted, oneLine, paragraph, safeHref } from "./email-parts";
import { escapeHtml } from "./escape-html";

/** A rendered email, ready for `Mailer.send` once a recipient is added. */
export type MailContent = Omit<MailMessage, "to">;

export interface MagicLinkEmailInput {
  /** The one-time sign-in link. */
  url: string;
  expiresInMinutes: number;
  /** When the link signs in to one organization, its name. */
  organizationName?: string | undefined;
}

/** The sign-in email: one button, the expiry, and the link in plain text for clients that block buttons. */
export function magicLinkEmail({ url, expiresInMinutes, organizationName }: MagicLinkEmailInput): MailContent {
  const href = safeHref(url);
  const where = organizationName ? ` to ${oneLine(organizationName)}` : "";
  const expiry = `The link works once and expires in ${expiresInMinutes} minutes.`;
  const ignore = "If you did not ask to sign in, you can ignore this email.";
  return {
    subject: `Sign in${where} on DevFlow`,
    text: [`Sign in${where} on DevFlow by opening this link:`, "", href, "", expiry, ignore].join("\n"),
    html: emailLayout(
      [
        paragraph(
          `Sign in${organizationName ? ` to <strong>${escapeHtml(organizationName)}</strong>` : ""} on DevFlow.`,
        ),
        button(href, "Sign in"),
        paragraph(escapeHtml(expiry)),
        fallbackLink(href),
        muted(escapeHtml(ignore)),
      ].join(""),
    ),
  };
}

export interface InvitationEmailInput {
  /** The invitation link (`<publicUrl>/invite/<token>`). */
  url: string;
  organizationName: string;
  inviterName: string;
  role: string;
  expiresAt: Date;
}

/** The invitation email: who invited you, where, with which role, until when. */
export function invitationEmail({
  url,
  organizationName,
  inviterName,
  role,
  expiresAt,
}: InvitationEmailInput): MailContent {
  const href = safeHref(url);
  const until = `The invitation expires on ${formatDate(expiresAt)}.`;
  const ignore = "If you did not expect it, you can ignore this email.";
  return {
    subject: `${oneLine(inviterName)} invited you to ${oneLine(organizationName)} on DevFlow`,
    text: [
      `${inviterName} invited you to join ${organizationName} on DevFlow as ${article(role)} ${role}.`,
      "",
      "Accept the invitation:",
      href,
      "",
      until,
      ignore,
    ].join("\n"),
    html: emailLayout(
      [
        paragraph(
          `${escapeHtml(inviterName)} invited you to join <strong>${escapeHtml(organizationName)}</strong> on DevFlow as ${article(role)} <strong>${escapeHtml(role)}</strong>.`,
        ),
        button(href, "Accept invitation"),
        paragraph(escapeHtml(until)),
        fallbackLink(href),
        muted(escapeHtml(ignore)),
      ].join(""),
    ),
  };
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

function formatDate(date: Date): string {
  return date.toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
}

function fallbackLink(href: string): string {
  return muted(
    `If the button does not work, open this link:<br><a href="${escapeHtml(href)}" style="color:#4f46e5;word-break:break-all;">${escapeHtml(href)}</a>`,
  );
}
