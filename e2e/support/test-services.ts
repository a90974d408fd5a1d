/**
 * What the e2e stack runs beside the apps for the tests: a real SMTP server (the `smtp-server`
 * package) that keeps every message the web app sends, and the DNS TXT answers domain verification
 * reads (the web app's DNS_TXT_OVERRIDES_FILE). A small HTTP endpoint lets tests read the mailbox and
 * publish TXT records; it runs in one process so parallel tests never clobber each other's records.
 * It also plays GitHub's OAuth app endpoints (authorize, access_token, /user, /user/emails) in
 * GitHub's documented wire format, since the real GitHub is out of reach here, and its REST
 * "create an issue" for a connected token (the issues filed are listed at GET /github/issues).
 */
import { createServer, type Server } from "node:http";
import { writeFile, rename } from "node:fs/promises";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  receivedAt: string;
}

export interface TestServices {
  close(): Promise<void>;
}

export interface FakeGitHubUser {
  id: number;
  login: string;
  name: string | null;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

export const FAKE_GITHUB_CLIENT = { id: "e2e-github-client", secret: "e2e-github-secret" } as const;

/** An issue the fake GitHub was asked to create (POST /repos/{owner}/{repo}/issues). */
export interface FakeGitHubIssue {
  owner: string;
  repo: string;
  number: number;
  title: string;
  body: string;
}

export async function startTestServices(options: {
  smtpPort: number;
  controlPort: number;
  dnsOverridesFile: string;
}): Promise<TestServices> {
  const github = createFakeGitHub();
  const mailbox: ReceivedMail[] = [];
  const txtRecords: Record<string, string[]> = {};
  await writeDns(options.dnsOverridesFile, txtRecords);

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    size: 1024 * 1024,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mailbox.push({
            from: parsed.from?.text ?? "",
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            receivedAt: new Date().toISOString(),
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once("error", reject);
    smtp.listen(options.smtpPort, "127.0.0.1", () => resolve());
  });

  const control: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET" && url.pathname === "/mail") {
      const to = url.searchParams.get("to")?.toLowerCase();
      return reply(200, to ? mailbox.filter((m) => m.to.includes(to)) : mailbox);
    }
    if (url.pathname.startsWith("/github/")) {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => github.handle(req.method ?? "GET", url, req.headers, body, res));
      return;
    }
    if (req.method === "PUT" && url.pathname === "/dns") {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const { domain, records } = JSON.parse(body) as { domain: string; records: string[] };
        txtRecords[domain.toLowerCase()] = records;
        writeDns(options.dnsOverridesFile, txtRecords).then(
          () => reply(204, null),
          (error: Error) => reply(500, { error: error.message }),
        );
      });
      return;
    }
    reply(404, { error: "not found" });
  });
  await new Promise<void>((resolve) => control.listen(options.controlPort, () => resolve()));

  return {
    async close() {
      await new Promise<void>((resolve) => control.close(() => resolve()));
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}

// Written whole and renamed into place, so the web app never reads half a file.
async function writeDns(file: string, records: Record<string, string[]>): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(records, null, 2));
  await rename(temporary, file);
}

/**
 * GitHub's OAuth web flow as its docs describe it, for one signed-in GitHub user at a time (the test
 * sets who with PUT /github/user): an already-authorized app is redirected straight back with a code.
 */
function createFakeGitHub() {
  let current: FakeGitHubUser | null = null;
  const codes = new Map<string, FakeGitHubUser>();
  const tokens = new Map<string, FakeGitHubUser>();
  const issues: FakeGitHubIssue[] = [];
  const json = (res: import("node:http").ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  };
  const random = () => Math.random().toString(36).slice(2) + Date.now().toString(36);

  return {
    handle(
      method: string,
      url: URL,
      headers: import("node:http").IncomingHttpHeaders,
      body: string,
      res: import("node:http").ServerResponse,
    ) {
      const path = url.pathname.slice("/github".length);
      if (method === "PUT" && path === "/user") {
        current = JSON.parse(body) as FakeGitHubUser;
        return json(res, 204, null);
      }
      if (method === "GET" && path === "/login/oauth/authorize") {
        const redirect = new URL(url.searchParams.get("redirect_uri") ?? "");
        if (url.searchParams.get("client_id") !== FAKE_GITHUB_CLIENT.id || !current) {
          redirect.searchParams.set("error", "access_denied");
        } else {
          const code = random();
          codes.set(code, current);
          redirect.searchParams.set("code", code);
        }
        const state = url.searchParams.get("state");
        if (state) redirect.searchParams.set("state", state);
        res.writeHead(302, { location: redirect.toString() });
        return res.end();
      }
      if (method === "POST" && path === "/login/oauth/access_token") {
        const form = headers["content-type"]?.includes("json")
          ? (JSON.parse(body) as Record<string, string>)
          : Object.fromEntries(new URLSearchParams(body));
        const basic = headers.authorization?.startsWith("Basic ")
          ? Buffer.from(headers.authorization.slice(6), "base64").toString().split(":").map(decodeURIComponent)
          : [form.client_id, form.client_secret];
        const user = codes.get(form.code ?? "");
        codes.delete(form.code ?? "");
        if (basic[0] !== FAKE_GITHUB_CLIENT.id || basic[1] !== FAKE_GITHUB_CLIENT.secret || !user) {
          return json(res, 200, { error: "bad_verification_code", error_description: "The code passed is incorrect or expired." });
        }
        const token = `gho_${random()}`;
        tokens.set(token, user);
        return json(res, 200, { access_token: token, token_type: "bearer", scope: "read:user,user:email" });
      }
      const token = headers.authorization?.replace(/^(Bearer|token) /i, "") ?? "";
      const user = tokens.get(token);
      if (method === "GET" && (path === "/api/user" || path === "/api/user/emails")) {
        if (!user) return json(res, 401, { message: "Bad credentials" });
        if (path === "/api/user/emails") {
          return json(res, 200, user.emails.map((e) => ({ ...e, visibility: e.primary ? "private" : null })));
        }
        return json(res, 200, { id: user.id, login: user.login, name: user.name, email: null, avatar_url: null });
      }
      const filing = /^\/api\/repos\/([^/]+)\/([^/]+)\/issues$/.exec(path);
      if (method === "POST" && filing) {
        // Filed with an organization's token (ghp_…, github_pat_…), which this fake takes on trust.
        if (!/^(ghp_|github_pat_|ghs_)/.test(token)) return json(res, 401, { message: "Bad credentials" });
        const input = JSON.parse(body) as { title: string; body: string };
        const issue = { owner: filing[1]!, repo: filing[2]!, number: issues.length + 1, ...input };
        issues.push(issue);
        const htmlUrl = `https://github.com/${issue.owner}/${issue.repo}/issues/${issue.number}`;
        return json(res, 201, { number: issue.number, title: issue.title, body: issue.body, html_url: htmlUrl });
      }
      if (method === "GET" && path === "/issues") return json(res, 200, issues);
      return json(res, 404, { message: "Not Found" });
    },
  };
}
