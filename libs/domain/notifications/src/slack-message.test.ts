import { OutsideServiceRejectedError, OutsideServiceUnavailableError, SlackRejectedError } from "@devflow/integrations";
import { describe, expect, it } from "vitest";
import { finalSlackRefusal, slackMessageOf } from "./slack-message";

describe("a notification as a Slack message", () => {
  it("shows the title, the quote and a link to the web app", () => {
    const message = slackMessageOf({
      title: "Ada mentioned you in “Retry policy”",
      body: "Three retries are enough?",
      url: "https://devflow.example/acme/documents/d1",
    });

    expect(message.text).toBe("Ada mentioned you in “Retry policy”");
    expect(message.blocks).toEqual([
      { type: "section", text: { type: "mrkdwn", text: "*Ada mentioned you in “Retry policy”*" } },
      { type: "section", text: { type: "mrkdwn", text: ">Three retries are enough?" } },
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: "<https://devflow.example/acme/documents/d1|Open in DevFlow>" }],
      },
    ]);
  });

  it("escapes people's text so that it cannot become Slack markup or a link", () => {
    const message = slackMessageOf({
      title: "Bo <@U0ADMIN> & co mentioned you in “<https://evil.example|Payroll>”",
      body: "<!channel> look\nsecond line",
      url: "https://devflow.example/acme/documents/d1?a=1&b=2",
    });

    const shown = JSON.stringify(message);
    expect(shown).not.toMatch(/<@U0ADMIN>|<!channel>|<https:\/\/evil/);
    expect(message.text).toBe("Bo &lt;@U0ADMIN&gt; &amp; co mentioned you in “&lt;https://evil.example|Payroll&gt;”");
    expect(message.blocks[1]).toEqual({
      type: "section",
      text: { type: "mrkdwn", text: ">&lt;!channel&gt; look\n>second line" },
    });
    expect(shown).toContain("<https://devflow.example/acme/documents/d1?a=1&amp;b=2|Open in DevFlow>");
  });

  it("leaves the quote out when there is none", () => {
    const message = slackMessageOf({ title: "Jobs failed", body: " ", url: "https://devflow.example/acme/settings" });
    expect(message.blocks.map((b) => b.type)).toEqual(["section", "context"]);
  });
});

describe("Slack refusals no retry will change", () => {
  it("skips a refused token for every recipient, and a vanished Slack user for that person", () => {
    for (const code of ["not_authed", "invalid_auth", "account_inactive", "token_revoked", "missing_scope"]) {
      expect(finalSlackRefusal(new SlackRejectedError(code, 401))).toEqual({ slackError: code, scope: "token" });
    }
    for (const code of ["channel_not_found", "user_not_found"]) {
      expect(finalSlackRefusal(new SlackRejectedError(code, 404))).toEqual({ slackError: code, scope: "recipient" });
    }
  });

  it("retries everything else: outages, rate limits, other refusals", () => {
    expect(finalSlackRefusal(new OutsideServiceUnavailableError("slack", "server_error", "answered 503"))).toBeNull();
    expect(finalSlackRefusal(new SlackRejectedError("internal_error", 500))).toBeNull();
    expect(finalSlackRefusal(new OutsideServiceRejectedError("slack", 404, "channel_not_found"))).toBeNull();
    expect(finalSlackRefusal(new Error("invalid_auth"))).toBeNull();
  });
});
