import nodemailer from "nodemailer";

/** One email, always with both parts: clients that cannot show HTML read the text. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Resolves once the message is handed to the SMTP server (or logged); rejects when that fails. */
  send(message: MailMessage): Promise<void>;
}

/** What the mailer logs to; a pino logger fits. */
export interface MailLogger {
  info(object: object, message: string): void;
}

export interface MailerTimeouts {
  /** How long to wait for the TCP (and TLS) connection, in ms. */
  connectionMs: number;
  /** How long to wait for the server's greeting once connected, in ms. */
  greetingMs: number;
  /** How long the socket may stay idle mid-conversation, in ms. */
  socketMs: number;
}

export interface MailerOptions {
  /** `smtp://user:pass@host:587` or `smtps://…`; unset means development: messages are logged, not sent. */
  smtpUrl?: string | undefined;
  /** The From header, e.g. `DevFlow <no-reply@example.com>`. */
  from: string;
  logger: MailLogger;
  /** Defaults keep a request from hanging on a dead SMTP server for minutes (nodemailer's own defaults). */
  timeouts?: Partial<MailerTimeouts>;
  /**
   * Without SMTP: print links whole, tokens included, so developers can open them (default). Pass
   * false in production, where a missing SMTP_URL must not put sign-in tokens into the logs.
   */
  revealLinks?: boolean;
}

const DEFAULT_TIMEOUTS: MailerTimeouts = { connectionMs: 10_000, greetingMs: 10_000, socketMs: 20_000 };

/**
 * The process's mailer: SMTP through nodemailer when `smtpUrl` is set, otherwise a transport that
 * logs each message with its links at info level — which is how developers get magic links and
 * invitation links locally. In SMTP mode log lines carry no tokens: links are redacted.
 */
export function createMailer({ smtpUrl, from, logger, timeouts, revealLinks = true }: MailerOptions): Mailer {
  if (!smtpUrl) return createLogMailer(from, logger, revealLinks);
  const limits = { ...DEFAULT_TIMEOUTS, ...timeouts };
  const transport = nodemailer.createTransport({
    ...smtpServerOf(smtpUrl),
    connectionTimeout: limits.connectionMs,
    greetingTimeout: limits.greetingMs,
    socketTimeout: limits.socketMs,
  });
  return {
    async send(message) {
      const info = await transport.sendMail({ from, ...message });
      logger.info(
        { mail: { subject: message.subject, messageId: info.messageId, links: linksIn(message.text).map(redactUrl) } },
        "email sent",
      );
    },
  };
}

/*
 * nodemailer's own `url` option replaces every other transport option (timeouts included) with what
 * the URL says, so the URL is taken apart here instead.
 */
function smtpServerOf(smtpUrl: string) {
  const url = new URL(smtpUrl);
  const secure = url.protocol === "smtps:";
  const user = decodeURIComponent(url.username);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(user && { auth: { user, pass: decodeURIComponent(url.password) } }),
  };
}

function createLogMailer(from: string, logger: MailLogger, revealLinks: boolean): Mailer {
  return {
    async send(message) {
      const links = linksIn(message.text).map(revealLinks ? survivingLogMasks : redactUrl);
      logger.info(
        { mail: { from, to: message.to, subject: message.subject, links } },
        `email not sent (SMTP_URL is unset); its links: ${links.join(" ") || "none"}`,
      );
    },
  };
}

// The parameter names the observability logger masks in every line (see maskSecrets).
const MASKED_PARAM =
  /([?&])(access_token|refresh_token|id_token|token|api_key|apikey|key|secret|password|code|signature)=/gi;

/*
 * The logger masks `token=…` in every line, which would cut the token out of each magic link the
 * development transport exists to hand over. Percent-encoding the parameter name's first letter
 * keeps the link working (query names are decoded on arrival) while the masker no longer matches it.
 */
function survivingLogMasks(url: string): string {
  return url.replace(
    MASKED_PARAM,
    (_, separator: string, name: string) =>
      `${separator}%${name.charCodeAt(0).toString(16).toUpperCase()}${name.slice(1)}=`,
  );
}

const LINK = /https?:\/\/[^\s<>"')]+/g;

/** The http(s) links in a text body, in order, without duplicates. */
export function linksIn(text: string): string[] {
  return [...new Set(text.match(LINK) ?? [])];
}

const SECRET_PARAM = /token|code|secret|key|signature|password/i;
// Opaque path segments long enough to be a credential (hex, base64url, `<org>.<secret>` tokens).
const OPAQUE_SEGMENT = /^[A-Za-z0-9._~-]{24,}$/;

/**
 * The URL with anything that could be a credential replaced by `[redacted]`: secret-looking query
 * parameters, long opaque path segments and user info. What remains still says which page it opens.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "[unparseable link]";
  }
  parsed.username = "";
  parsed.password = "";
  parsed.pathname = parsed.pathname
    .split("/")
    .map((segment) => (OPAQUE_SEGMENT.test(segment) ? "[redacted]" : segment))
    .join("/");
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) parsed.searchParams.set(name, "[redacted]");
  }
  parsed.hash = "";
  const text = parsed.toString();
  try {
    return decodeURI(text);
  } catch {
    return text;
  }
}
