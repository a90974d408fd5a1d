import { describe, expect, it } from "vitest";
import { isLinkCurrent, SLACK_NOT_FOUND_RETRY_MS } from "./slack-user-links";

describe("a stored Slack user link", () => {
  const now = new Date("2026-11-30T12:00:00Z");
  const ago = (ms: number) => new Date(now.getTime() - ms);

  it("is used as long as it names a Slack user", () => {
    expect(isLinkCurrent({ slackUserId: "U0ADA", lookedUpAt: ago(365 * SLACK_NOT_FOUND_RETRY_MS) }, now)).toBe(true);
  });

  it("believes Slack's 'nobody by that address' for a day, then asks again", () => {
    expect(SLACK_NOT_FOUND_RETRY_MS).toBe(24 * 60 * 60 * 1000);
    expect(isLinkCurrent({ slackUserId: null, lookedUpAt: ago(SLACK_NOT_FOUND_RETRY_MS - 1) }, now)).toBe(true);
    expect(isLinkCurrent({ slackUserId: null, lookedUpAt: ago(SLACK_NOT_FOUND_RETRY_MS) }, now)).toBe(false);
  });
});
