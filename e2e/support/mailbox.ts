import { expect } from "@playwright/test";
import { TEST_CONTROL_URL } from "./ports";
import type { FakeGitHubUser, ReceivedMail } from "./test-services";

/** The newest message the stack's SMTP server received for `to`, waiting up to 10 s for it. */
export async function latestMailTo(to: string): Promise<ReceivedMail> {
  let found: ReceivedMail | undefined;
  await expect
    .poll(
      async () => {
        const response = await fetch(`${TEST_CONTROL_URL}/mail?${new URLSearchParams({ to })}`);
        const mails = (await response.json()) as ReceivedMail[];
        found = mails.at(-1);
        return mails.length;
      },
      { timeout: 10_000, message: `an email to ${to}` },
    )
    .toBeGreaterThan(0);
  return found!;
}

/** Every message received for `to` so far. */
export async function mailsTo(to: string): Promise<ReceivedMail[]> {
  const response = await fetch(`${TEST_CONTROL_URL}/mail?${new URLSearchParams({ to })}`);
  return (await response.json()) as ReceivedMail[];
}

/** Publishes a DNS TXT record, as the web app's domain verification will read it. */
export async function publishTxt(name: string, records: string[]): Promise<void> {
  const response = await fetch(`${TEST_CONTROL_URL}/dns`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ domain: name, records }),
  });
  expect(response.status).toBe(204);
}

/** Who is signed in on the stack's stand-in for GitHub (support/test-services.ts). */
export async function setGitHubUser(user: FakeGitHubUser): Promise<void> {
  const response = await fetch(`${TEST_CONTROL_URL}/github/user`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(user),
  });
  expect(response.status).toBe(204);
}
