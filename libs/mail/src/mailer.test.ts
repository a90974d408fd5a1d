import { maskSecrets } from "@devflow/observability";
import { describe, expect, it } from "vitest";
import { createMailer, linksIn, redactUrl } from "./mailer";

function memoryLogger() {
  const lines: { object: object; message: string }[] = [];
  return { lines, info: (object: object, message: string) => void lines.push({ object, message }) };
}

describe("the development mailer (no SMTP_URL)", () => {
  it("logs the message with its links at info level, tokens included", async () => {
    const logger = memoryLogger();
    const mailer = createMailer({ from: "DevFlow <no-reply@devflow.local>", logger });
    await mailer.send({
      to: "grace@example.test",
      subject: "Join Acme",
      text: "Accept: http://localhost:3000/invite/0123456789abcdef.SECRETSECRETSECRETSECRET\nThanks",
      html: "<p>ignored</p>",
    });
    expect(logger.lines).toHaveLength(1);
    const [line] = logger.lines;
    expect(line?.message).toContain("http://localhost:3000/invite/0123456789abcdef.SECRETSECRETSECRETSECRET");
    expect(line?.object).toMatchObject({ mail: { to: "grace@example.test", subject: "Join Acme" } });
  });
});

describe("magic links in the development log", () => {
  const magicLink =
    "http://localhost:3000/api/auth/callback/email?callbackUrl=%2F&token=abc123def456&email=ada%40example.test";
  const message = { to: "ada@example.test", subject: "Sign in", text: `Open ${magicLink}`, html: "" };

  it("stay usable after the logger masks secrets in the line", async () => {
    const logger = memoryLogger();
    await createMailer({ from: "DevFlow <no-reply@devflow.local>", logger }).send(message);
    const logged = maskSecrets(logger.lines[0]?.message ?? "");
    const link = /https?:\/\/\S+/.exec(logged)?.[0] ?? "";
    expect(new URL(link).searchParams.get("token")).toBe("abc123def456");
    expect(new URL(link).searchParams.get("callbackUrl")).toBe("/");
  });

  it("are redacted when links may not be revealed (production without SMTP)", async () => {
    const logger = memoryLogger();
    await createMailer({ from: "DevFlow <no-reply@devflow.local>", logger, revealLinks: false }).send(message);
    expect(JSON.stringify(logger.lines)).not.toContain("abc123def456");
    expect(logger.lines[0]?.message).toContain("token=[redacted]");
  });
});

describe("redactUrl", () => {
  it("hides token query parameters and opaque path segments but keeps the page", () => {
    expect(redactUrl("https://app.example/auth/magic?token=abcdef&next=%2Fdocs")).toBe(
      "https://app.example/auth/magic?token=[redacted]&next=%2Fdocs",
    );
    expect(redactUrl("https://app.example/invite/0123456789abcdef0123456789abcdef.c2VjcmV0c2VjcmV0c2VjcmV0")).toBe(
      "https://app.example/invite/[redacted]",
    );
    expect(redactUrl("https://user:pass@app.example/settings/members")).toBe("https://app.example/settings/members");
  });
});

describe("linksIn", () => {
  it("finds each http(s) link once, in order", () => {
    expect(linksIn("a https://x.example/1 b http://y.example/2?q=1 https://x.example/1")).toEqual([
      "https://x.example/1",
      "http://y.example/2?q=1",
    ]);
  });
});
