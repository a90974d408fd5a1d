import "server-only";
import { magicLinkEmail } from "@devflow/mail";
import { services } from "../services";

/** Emails a one-time sign-in link (or, without SMTP configured, logs it for the developer). */
export async function sendSignInLink(email: string, url: string, expiresInMinutes: number): Promise<void> {
  const { mailer } = await services();
  await mailer.send({ to: email, ...magicLinkEmail({ url, expiresInMinutes }) });
}
