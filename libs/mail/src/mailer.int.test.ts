import { createServer, type AddressInfo, type Server } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterEach, describe, expect, it } from "vitest";
import { createMailer } from "./mailer";
import { invitationEmail } from "./templates";

interface Received {
  from: string | undefined;
  to: string[];
  user: string | undefined;
  raw: string;
}

/** A real SMTP server on a random loopback port that keeps what it receives. */
async function startSmtpServer() {
  const received: Received[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === "mailer" && auth.password === "s3cret") callback(null, { user: auth.username });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === "string" ? session.user : undefined,
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return { received, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe("createMailer over SMTP", () => {
  it("delivers both parts, the headers and the link to a real SMTP server", async () => {
    const smtp = await startSmtpServer();
    closers.push(smtp.close);
    const lines: string[] = [];
    const mailer = createMailer({
      smtpUrl: `smtp://mailer:s3cret@127.0.0.1:${smtp.port}`,
      from: "DevFlow <no-reply@devflow.test>",
      logger: { info: (object, message) => void lines.push(JSON.stringify(object) + message) },
    });
    const url = "https://devflow.example/invite/0123456789abcdef0123456789abcdef.c2VjcmV0LXRva2VuLXZhbHVl";
    const content = invitationEmail({
      url,
      organizationName: "Acme & Co",
      inviterName: "Ada",
      role: "member",
      expiresAt: new Date("2030-01-08T00:00:00Z"),
    });

    await mailer.send({ to: "grace@example.test", ...content });

    expect(smtp.received).toHaveLength(1);
    const [message] = smtp.received;
    expect(message?.user).toBe("mailer");
    expect(message?.from).toBe("no-reply@devflow.test");
    expect(message?.to).toEqual(["grace@example.test"]);
    const parsed = parseMessage(message?.raw ?? "");
    expect(parsed.headers.get("from")).toBe("DevFlow <no-reply@devflow.test>");
    expect(parsed.headers.get("to")).toBe("grace@example.test");
    expect(parsed.headers.get("subject")).toBe("Ada invited you to Acme & Co on DevFlow");
    expect(parsed.parts.get("text/plain")).toContain(url);
    expect(parsed.parts.get("text/plain")).toContain("Ada invited you to join Acme & Co on DevFlow as a member.");
    expect(parsed.parts.get("text/html")).toContain(`href="${url}"`);
    expect(parsed.parts.get("text/html")).toContain("<strong>Acme &amp; Co</strong>");
    // Production logs say an email went out, never with the token that is in its link.
    expect(lines.join("\n")).not.toContain("c2VjcmV0LXRva2VuLXZhbHVl");
    expect(lines.join("\n")).not.toContain("s3cret");
  });

  it("gives up on a server that accepts the connection but never greets", async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          silent.close(() => resolve());
        }),
    );
    const { port } = silent.address() as AddressInfo;
    const mailer = createMailer({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: "no-reply@devflow.test",
      logger: { info: () => {} },
      timeouts: { greetingMs: 200 },
    });
    await expect(mailer.send({ to: "a@example.test", subject: "s", text: "t", html: "<p>h</p>" })).rejects.toThrow(
      /greeting/i,
    );
  });
});

/** Just enough MIME to read nodemailer's multipart/alternative output: headers and decoded parts. */
function parseMessage(raw: string) {
  const { headers, body } = splitHeaders(raw);
  const boundary = /boundary="?([^";]+)"?/i.exec(headers.get("content-type") ?? "")?.[1];
  const parts = new Map<string, string>();
  if (!boundary) throw new Error("expected a multipart message");
  for (const chunk of body.split(`--${boundary}`).slice(1, -1)) {
    const part = splitHeaders(chunk.replace(/^\r\n/, ""));
    const type = (part.headers.get("content-type") ?? "").split(";")[0]!.trim();
    parts.set(type, decode(part.body, part.headers.get("content-transfer-encoding") ?? "7bit"));
  }
  return { headers, parts };
}

function splitHeaders(raw: string) {
  const end = raw.indexOf("\r\n\r\n");
  const headers = new Map<string, string>();
  for (const line of raw
    .slice(0, end)
    .replace(/\r\n[ \t]+/g, " ")
    .split("\r\n")) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(end + 4) };
}

function decode(body: string, encoding: string): string {
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (/quoted-printable/i.test(encoding)) {
    const bytes = body
      .replace(/=\r\n/g, "")
      .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return body;
}
