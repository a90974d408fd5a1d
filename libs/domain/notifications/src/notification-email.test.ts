import { describe, expect, it } from "vitest";
import { excerptOf } from "./notification-delivery";
import { describeFailedJob } from "./failed-job-notification.handler";
import {
  commentNotificationEmail,
  documentMentionEmail,
  failedJobEmail,
  projectSharedEmail,
} from "./notification-email";

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

describe("documentMentionEmail", () => {
  it("says who mentioned whom in which document, quoting the text around it, escaped", () => {
    const { kind: _kind, ...rest } = input;
    const mail = documentMentionEmail({ ...rest, excerpt: "Ask @Vic about <b>retries</b>" });
    expect(mail.subject).toBe('Ada <script> mentioned you in “Retry "policy" & backoff”');
    expect(mail.text).toContain("> Ask @Vic about <b>retries</b>");
    expect(mail.html).toContain("Ask @Vic about &lt;b&gt;retries&lt;/b&gt;");
    expect(mail.html).toContain(`href="${input.documentUrl}"`);
  });
});

describe("failedJobEmail", () => {
  const failed = {
    organizationName: "Acme <b>& Co</b>",
    summary: describeFailedJob({ handler: "notifications.comment-created", eventType: "comment.created", attempts: 5 }),
    error: "SMTP said <550> no",
    failedJobsUrl: "https://devflow.example/acme/settings/integrations",
    preferencesUrl: "https://devflow.example/acme/settings/notifications",
  };

  it("says which handler failed on what, quotes the error and links to the failed jobs", () => {
    const mail = failedJobEmail(failed);
    expect(mail.subject).toBe(
      "Acme <b>& Co</b>: notifications.comment-created failed on comment.created after 5 attempts",
    );
    expect(mail.text).toContain("> SMTP said <550> no");
    expect(mail.text).toContain(failed.failedJobsUrl);
    expect(mail.html).toContain(`href="${failed.failedJobsUrl}"`);
    expect(mail.html).toContain("SMTP said &lt;550&gt; no");
    expect(mail.html).toContain("Acme &lt;b&gt;&amp; Co&lt;/b&gt;");
    expect(mail.html).not.toContain("<b>&");
  });

  it("leaves the quote out when there is no error, and counts one attempt as one", () => {
    const mail = failedJobEmail({ ...failed, error: null });
    expect(mail.text).not.toMatch(/^> /m);
    expect(describeFailedJob({ handler: "h", eventType: "file.uploaded", attempts: 1 })).toBe(
      "h failed on file.uploaded after 1 attempt",
    );
  });
});

describe("projectSharedEmail", () => {
  const shared = {
    sharerName: "Ada <script>",
    projectName: 'Payments "v2"',
    description: "Ledger & <i>refunds</i>",
    projectUrl: "https://devflow.example/acme/projects/4f9a8b7c-0000-4000-8000-000000000001",
    preferencesUrl: "https://devflow.example/acme/settings/notifications",
  };

  it("says who shared which project, links to it, and escapes every user-provided string", () => {
    const mail = projectSharedEmail(shared);
    expect(mail.subject).toBe('Ada <script> shared “Payments "v2"” with you');
    expect(mail.text).toContain(shared.projectUrl);
    expect(mail.text).toContain("> Ledger & <i>refunds</i>");
    expect(mail.html).toContain(`href="${shared.projectUrl}"`);
    expect(mail.html).not.toMatch(/<script|<i>/);
    expect(mail.html).toContain("Payments &quot;v2&quot;");
  });

  it("refuses links that are not http(s)", () => {
    expect(() => projectSharedEmail({ ...shared, projectUrl: "javascript:alert(1)" })).toThrow(/http/);
  });
});
