import { createHmac, timingSafeEqual } from "node:crypto";

/** Slack refuses to sign for longer than this, and so do we: older requests may be replays. */
export const SLACK_REPLAY_WINDOW_SECONDS = 5 * 60;

/**
 * Slack's request signing (api.slack.com/authentication/verifying-requests-from-slack):
 * `v0=` + hex(HMAC-SHA256(signing secret, "v0:" + X-Slack-Request-Timestamp + ":" + raw body)),
 * compared in constant time, and only for a timestamp within five minutes of now.
 */
export function verifySlackSignature(
  secret: string,
  body: string,
  timestamp: string | undefined,
  signature: string | undefined,
  nowSeconds = Math.floor(Date.now() / 1000),
): "ok" | "stale" | "mismatch" {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return "mismatch";
  if (Math.abs(nowSeconds - Number(timestamp)) > SLACK_REPLAY_WINDOW_SECONDS) return "stale";
  const expected = Buffer.from(`v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? "ok" : "mismatch";
}

/** Signs like Slack does (tests, and tools that replay recorded requests). */
export function signSlackRequest(secret: string, body: string, timestamp: number): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}
