import { escapeHtml } from "./escape-html";

/*
 * The pieces every DevFlow email is built from: one frame and a few inline-styled elements (email
 * clients ignore stylesheets), shared by the sign-in emails here and the notification emails.
 */

/** Only http(s) links go into an email; anything else (javascript:, data:) is a bug upstream. */
export function safeHref(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new Error(`Email links must be http(s), got ${parsed.protocol}`);
  }
  return parsed.toString();
}

// Names come from users; a line break in a subject would start a new header in some clients.
export function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, " ").trim();
}

const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

export function emailLayout(body: string): string {
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

export function paragraph(html: string): string {
  return `<p style="margin:0 0 16px;font-size:15px;line-height:1.5;">${html}</p>`;
}

export function muted(html: string): string {
  return `<p style="margin:16px 0 0;font-size:13px;line-height:1.5;color:#6b6f80;">${html}</p>`;
}

export function button(href: string, label: string): string {
  return (
    `<p style="margin:0 0 20px;"><a href="${escapeHtml(href)}" ` +
    'style="display:inline-block;padding:10px 18px;background:#4f46e5;color:#ffffff;border-radius:8px;' +
    `font-weight:600;text-decoration:none;">${escapeHtml(label)}</a></p>`
  );
}
