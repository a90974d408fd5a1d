import type { MailMessage } from "./mailer";

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
    html: layout(
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
    html: layout(
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

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** Only http(s) links go into an email; anything else (javascript:, data:) is a bug upstream. */
function safeHref(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new Error(`Email links must be http(s), got ${parsed.protocol}`);
  }
  return parsed.toString();
}

// Names come from users; a line break in a subject would start a new header in some clients.
function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, " ").trim();
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

function formatDate(date: Date): string {
  return date.toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
}

const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

function layout(body: string): string {
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    "</head>",
    `<body style="margin:0;padding:24px;background:#f7f7f9;${FONT};color:#1f2330;">`,
    '<div style="max-width:480px;margin:0 auto;padding:28px;background:#ffffff;border:1px solid #e4e4ea;border-radius:12px;">',
    '<p style="margin:0 0 20px;font-size:18px;font-weight:700;">DevFlow</p>',
    body,
    "</div></body></html>",
  ].join("");
}

function paragraph(html: string): string {
  return `<p style="margin:0 0 16px;font-size:15px;line-height:1.5;">${html}</p>`;
}

function muted(html: string): string {
  return `<p style="margin:16px 0 0;font-size:13px;line-height:1.5;color:#6b6f80;">${html}</p>`;
}

function button(href: string, label: string): string {
  return (
    `<p style="margin:0 0 20px;"><a href="${escapeHtml(href)}" ` +
    'style="display:inline-block;padding:10px 18px;background:#4f46e5;color:#ffffff;border-radius:8px;' +
    `font-weight:600;text-decoration:none;">${escapeHtml(label)}</a></p>`
  );
}

function fallbackLink(href: string): string {
  return muted(
    `If the button does not work, open this link:<br><a href="${escapeHtml(href)}" style="color:#4f46e5;word-break:break-all;">${escapeHtml(href)}</a>`,
  );
}
