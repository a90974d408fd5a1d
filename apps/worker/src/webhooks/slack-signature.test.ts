import { describe, expect, it } from "vitest";
import { signSlackRequest, verifySlackSignature } from "./slack-signature";

// The example from Slack's documentation on verifying requests.
const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const TIMESTAMP = "1531420618";
const BODY =
  "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

describe("verifySlackSignature", () => {
  const at = Number(TIMESTAMP) + 10;

  it("accepts Slack's documented example", () => {
    expect(verifySlackSignature(SECRET, BODY, TIMESTAMP, SIGNATURE, at)).toBe("ok");
    expect(signSlackRequest(SECRET, BODY, Number(TIMESTAMP))).toBe(SIGNATURE);
  });

  it("refuses a changed body, another secret, a missing or malformed header", () => {
    expect(verifySlackSignature(SECRET, `${BODY}&x=1`, TIMESTAMP, SIGNATURE, at)).toBe("mismatch");
    expect(verifySlackSignature("another secret", BODY, TIMESTAMP, SIGNATURE, at)).toBe("mismatch");
    expect(verifySlackSignature(SECRET, BODY, undefined, SIGNATURE, at)).toBe("mismatch");
    expect(verifySlackSignature(SECRET, BODY, TIMESTAMP, undefined, at)).toBe("mismatch");
    expect(verifySlackSignature(SECRET, BODY, "12ab", SIGNATURE, at)).toBe("mismatch");
    expect(verifySlackSignature(SECRET, BODY, TIMESTAMP, "v0=short", at)).toBe("mismatch");
  });

  it("refuses a request signed more than five minutes away from now, either way", () => {
    expect(verifySlackSignature(SECRET, BODY, TIMESTAMP, SIGNATURE, Number(TIMESTAMP) + 301)).toBe("stale");
    expect(verifySlackSignature(SECRET, BODY, TIMESTAMP, SIGNATURE, Number(TIMESTAMP) - 301)).toBe("stale");
    expect(verifySlackSignature(SECRET, BODY, TIMESTAMP, SIGNATURE, Number(TIMESTAMP) + 300)).toBe("ok");
  });
});
