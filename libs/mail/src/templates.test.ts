import { describe, expect, it } from "vitest";
import { escapeHtml } from "./escape-html";
import { invitationEmail, magicLinkEmail } from "./templates";

const INVITE_URL = "https://devflow.example/invite/0123abcd.secret-token";

describe("invitationEmail", () => {
  const email = invitationEmail({
    url: INVITE_URL,
    organizationName: `<script>alert("x")</script> & Co`,
    inviterName: "Ada <ada@example.test>",
    role: "admin",
    expiresAt: new Date("2030-01-08T12:00:00Z"),
  });

  it("escapes names in the HTML part and keeps them readable in the text part", () => {
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co");
    expect(email.html).toContain("Ada &lt;ada@example.test&gt;");
    expect(email.text).toContain(`<script>alert("x")</script> & Co`);
  });

  it("puts the link in both parts, the role and the expiry date", () => {
    expect(email.html).toContain(`href="${INVITE_URL}"`);
    expect(email.text).toContain(INVITE_URL);
    expect(email.text).toContain("as an admin");
    expect(email.text).toContain("January 8, 2030");
    expect(email.subject).toBe(`Ada <ada@example.test> invited you to <script>alert("x")</script> & Co on DevFlow`);
  });

  it("keeps user-provided names from breaking the subject into several lines", () => {
    const multiline = invitationEmail({
      url: INVITE_URL,
      organizationName: "Acme\r\nBcc: victim@example.test",
      inviterName: "Ada",
      role: "member",
      expiresAt: new Date(),
    });
    expect(multiline.subject).not.toMatch(/[\r\n]/);
  });

  it("refuses links that are not http(s)", () => {
    expect(() =>
      invitationEmail({
        url: "javascript:alert(1)",
        organizationName: "A",
        inviterName: "B",
        role: "member",
        expiresAt: new Date(),
      }),
    ).toThrow(/http/);
  });
});

describe("magicLinkEmail", () => {
  it("escapes the organization name and quotes in the link attribute", () => {
    const email = magicLinkEmail({
      url: `https://devflow.example/auth/magic?token=abc"def&next=/a`,
      expiresInMinutes: 15,
      organizationName: "Tom & Jerry's",
    });
    expect(email.html).toContain("Tom &amp; Jerry&#39;s");
    expect(email.html).not.toContain(`abc"def`);
    expect(email.html).toContain("expires in 15 minutes");
    expect(email.text).toContain("https://devflow.example/auth/magic?token=abc%22def&next=/a");
    expect(email.subject).toBe("Sign in to Tom & Jerry's on DevFlow");
  });

  it("reads well without an organization", () => {
    const email = magicLinkEmail({ url: "http://localhost:3000/auth/magic?token=t", expiresInMinutes: 10 });
    expect(email.subject).toBe("Sign in on DevFlow");
    expect(email.text.split("\n")[2]).toBe("http://localhost:3000/auth/magic?token=t");
  });
});

describe("escapeHtml", () => {
  it("escapes the five characters that matter in content and attributes", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });
});
