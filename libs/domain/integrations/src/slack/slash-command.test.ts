import { describe, expect, it } from "vitest";
import { acknowledgement, parseCommandText, runSlashCommand, SLACK_READER_ID } from "./slash-command";
import { escapeMrkdwn } from "./slack-text";

const command = {
  command: "/devflow",
  text: "ask how do refunds settle?",
  response_url: "https://hooks.slack.test/commands/T1/1/abc",
  trigger_id: "13345224609.738474920.8088930838d88f008e0",
};

describe("slash commands", () => {
  it("reads `ask <question>`, and anything else as a request for help", () => {
    expect(parseCommandText("ask  how do refunds settle? ")).toEqual({ kind: "ask", question: "how do refunds settle?" });
    expect(parseCommandText("ASK what is X")).toEqual({ kind: "ask", question: "what is X" });
    expect(parseCommandText("")).toEqual({ kind: "help" });
    expect(parseCommandText("ask")).toEqual({ kind: "help" });
    expect(parseCommandText("deploy prod")).toEqual({ kind: "help" });
  });

  it("acknowledges at once, privately", () => {
    expect(acknowledgement(command)).toMatchObject({ response_type: "ephemeral", text: expect.stringContaining("refunds") });
    expect(acknowledgement({ ...command, text: "" }).text).toContain("/devflow ask");
  });

  it("answers as an organization-wide reader and links each cited source once, escaped", async () => {
    const posts: { url: string; text: string }[] = [];
    const asked: { userId: string; role: string; question: string }[] = [];
    const outcome = await runSlashCommand(
      {
        webBaseUrl: "https://devflow.test/",
        answer: async (ctx, question) => {
          asked.push({ userId: ctx.actor.userId, role: ctx.actor.role, question });
          return {
            text: "Refunds settle nightly [1] <b>.",
            citations: [
              { documentId: "7f1c0f5e-8f7a-4d55-9a1e-0c3f5b2f7a10", title: "Payments & <Refunds>" },
              { documentId: "7f1c0f5e-8f7a-4d55-9a1e-0c3f5b2f7a10", title: "Payments & <Refunds>" },
              { fileId: "0b8f4d2e-2a5c-4e3b-9f7d-1c2e3f4a5b6c", title: "runbook.pdf" },
            ],
          };
        },
        respond: async (_organizationId, url, body) => void posts.push({ url, text: body.text }),
      },
      { organizationId: "5f6b7c8d-0000-4000-8000-000000000001", organizationSlug: "acme" },
      command,
    );
    expect(outcome).toBe("answered");
    expect(asked).toEqual([{ userId: SLACK_READER_ID, role: "viewer", question: "how do refunds settle?" }]);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.url).toBe(command.response_url);
    const text = posts[0]!.text;
    expect(text).toContain("Refunds settle nightly [1] &lt;b&gt;.");
    expect(text.match(/acme\/documents\/7f1c0f5e/g)).toHaveLength(1);
    expect(text).toContain("<https://devflow.test/acme/documents/7f1c0f5e-8f7a-4d55-9a1e-0c3f5b2f7a10|Payments &amp; &lt;Refunds&gt;>");
    expect(text).toContain("<https://devflow.test/api/v1/files/0b8f4d2e-2a5c-4e3b-9f7d-1c2e3f4a5b6c/content|runbook.pdf>");
  });

  it("needs no follow-up for help", async () => {
    const outcome = await runSlashCommand(
      {
        webBaseUrl: "https://devflow.test",
        answer: async () => {
          throw new Error("not asked");
        },
        respond: async () => {
          throw new Error("not posted");
        },
      },
      { organizationId: "5f6b7c8d-0000-4000-8000-000000000001", organizationSlug: "acme" },
      { ...command, text: "help" },
    );
    expect(outcome).toBe("help");
    expect(escapeMrkdwn("a<b>&c")).toBe("a&lt;b&gt;&amp;c");
  });
});
