import { describe, expect, it } from "vitest";
import { excerptOf } from "./comment-notification.handler";
import { commentNotificationEmail } from "./notification-email";

const input = {
  kind: "comment.mentioned" as const,
  authorName: "Ada <script>",
  documentTitle: 'Retry "policy" & backoff',
  excerpt: "<img src=x onerror=alert(1)> please check",
  documentUrl: "https://devflow.example/acme/documents/4f9a8b7c-0000-4000-8000-000000000001",
  preferencesUrl: "https://devflow.example/acme/settings/notifications",
};

describe("commentNotificationEmail", () => {
  it("says who mentioned whom where, and links to the document in both parts", () => {
    const mail = commentNotificationEmail(input);
    expect(mail.subject).toBe('Ada <script> mentioned you in “Retry "policy" & backoff”');
    expect(mail.text).toContain(input.documentUrl);
    expect(mail.text).toContain("> <img src=x onerror=alert(1)> please check");
    expect(mail.html).toContain(`href="${input.documentUrl}"`);
    expect(mail.html).toContain(`href="${input.preferencesUrl}"`);
  });

  it("escapes every user-provided string in the HTML", () => {
    const { html } = commentNotificationEmail(input);
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).toContain("Ada &lt;script&gt;");
    expect(html).toContain("Retry &quot;policy&quot; &amp; backoff");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt; please check");
  });

  it("keeps the subject on one line and names a reply as one", () => {
    const mail = commentNotificationEmail({ ...input, kind: "comment.replied", documentTitle: "Two\r\nlines" });
    expect(mail.subject).toBe("Ada <script> replied to a thread you are in on “Two lines”");
  });

  it("refuses links that are not http(s)", () => {
    expect(() => commentNotificationEmail({ ...input, documentUrl: "javascript:alert(1)" })).toThrow(/http/);
  });
});

describe("excerptOf", () => {
  it("puts a comment on one line and cuts a long one at a word", () => {
    expect(excerptOf("  Line one\n\nline   two ")).toBe("Line one line two");
    const long = excerptOf("word ".repeat(100), 40);
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long).toMatch(/word…$/);
  });
});
