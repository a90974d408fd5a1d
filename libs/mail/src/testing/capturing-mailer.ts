import { linksIn, type Mailer, type MailMessage } from "../mailer";

export interface CapturingMailer extends Mailer {
  /** Every message sent, oldest first. */
  readonly sent: MailMessage[];
  /** The links of the last message sent to `to` (case-insensitive), or [] when none was. */
  linksTo(to: string): string[];
  /** Makes every following `send` reject with `error` (or succeed again with `null`). */
  failWith(error: Error | null): void;
}

/** A Mailer that keeps messages in memory, for tests of code that sends email. */
export function createCapturingMailer(): CapturingMailer {
  const sent: MailMessage[] = [];
  let failure: Error | null = null;
  return {
    sent,
    async send(message) {
      if (failure) throw failure;
      sent.push(message);
    },
    linksTo(to) {
      const last = sent.findLast((m) => m.to.toLowerCase() === to.toLowerCase());
      return last ? linksIn(last.text) : [];
    },
    failWith(error) {
      failure = error;
    },
  };
}
