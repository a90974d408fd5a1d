import { openSecret, sealSecret } from "@devflow/util-core";
import { randomBytes } from "node:crypto";

/** What the sealed secret of an integration row is bound to: that row, and nothing else. */
export const secretContext = (integrationId: string) => `integration:${integrationId}:webhook-secret`;

/** A new webhook signing secret: 32 random bytes, hex (what GitHub's and Slack's settings accept). */
export function newWebhookSecret(): string {
  return randomBytes(32).toString("hex");
}

export function sealWebhookSecret(key: Uint8Array, integrationId: string, secret: string): Uint8Array<ArrayBuffer> {
  return sealSecret(key, secret, secretContext(integrationId));
}

export function openWebhookSecret(key: Uint8Array, integrationId: string, sealed: Uint8Array): string {
  return openSecret(key, sealed, secretContext(integrationId));
}

/** A Slack bot token is sealed to its integration too, under its own context (never usable as the signing secret). */
const botTokenContext = (integrationId: string) => `integration:${integrationId}:bot-token`;

export function sealBotToken(key: Uint8Array, integrationId: string, token: string): string {
  return Buffer.from(sealSecret(key, token, botTokenContext(integrationId))).toString("base64");
}

export function openBotToken(key: Uint8Array, integrationId: string, sealed: string): string {
  return openSecret(key, new Uint8Array(Buffer.from(sealed, "base64")), botTokenContext(integrationId));
}

/**
 * An API credential (GitHub token, Jira API token, Linear key) is sealed to its integration under
 * its own context, kept in the row's config: never in encrypted_secret, which webhook ingress reads
 * as a signing secret.
 */
const credentialContext = (integrationId: string) => `integration:${integrationId}:api-credential`;

export function sealCredential(key: Uint8Array, integrationId: string, credential: string): string {
  return Buffer.from(sealSecret(key, credential, credentialContext(integrationId))).toString("base64");
}

export function openCredential(key: Uint8Array, integrationId: string, sealed: string): string {
  return openSecret(key, new Uint8Array(Buffer.from(sealed, "base64")), credentialContext(integrationId));
}
