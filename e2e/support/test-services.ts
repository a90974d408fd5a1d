/**
 * What the e2e stack runs beside the apps for the tests: a real SMTP server (the `smtp-server`
 * package) that keeps every message the web app sends, and the DNS TXT answers domain verification
 * reads (the web app's DNS_TXT_OVERRIDES_FILE). A small HTTP endpoint lets tests read the mailbox and
 * publish TXT records; it runs in one process so parallel tests never clobber each other's records.
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

export async function startTestServices(options: {
  smtpPort: number;
  controlPort: number;
  dnsOverridesFile: string;
}): Promise<TestServices> {
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
