export { createMailer, linksIn, redactUrl } from "./mailer";
export type { MailLogger, Mailer, MailerOptions, MailerTimeouts, MailMessage } from "./mailer";
export { escapeHtml, invitationEmail, magicLinkEmail } from "./templates";
export type { InvitationEmailInput, MagicLinkEmailInput, MailContent } from "./templates";
