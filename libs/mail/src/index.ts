export { createMailer, linksIn, redactUrl } from "./mailer";
export type { MailLogger, Mailer, MailerOptions, MailerTimeouts, MailMessage } from "./mailer";
export { button, emailLayout, muted, oneLine, paragraph, safeHref } from "./email-parts";
export { escapeHtml } from "./escape-html";
export { invitationEmail, magicLinkEmail } from "./templates";
export type { InvitationEmailInput, MagicLinkEmailInput, MailContent } from "./templates";
