import { z } from "zod";
import { EventTypeSchema } from "./events";

export const IntegrationProviderSchema = z.enum(["github", "slack", "jira", "linear"]);
export type IntegrationProvider = z.infer<typeof IntegrationProviderSchema>;

/** A connected integration, as admins see it in settings (never its secret). */
export const IntegrationSchema = z.object({
  id: z.uuid(),
  provider: IntegrationProviderSchema,
  /** How it connects: "webhook" (it sends us deliveries signed with its own secret). */
  kind: z.string(),
  enabled: z.boolean(),
  createdAt: z.iso.datetime(),
  /** Deliveries received in the last 24 hours, and when the latest arrived. */
  deliveriesLastDay: z.number().int().nonnegative(),
  lastDeliveryAt: z.iso.datetime().nullable(),
  /** Slack: the channel told about doc changes, if any. */
  notifyChannel: z.string().nullable().default(null),
});
export type IntegrationDto = z.infer<typeof IntegrationSchema>;

export const IntegrationListSchema = z.object({ items: z.array(IntegrationSchema) });
export type IntegrationListDto = z.infer<typeof IntegrationListSchema>;

/** `POST /api/v1/integrations/github`: a new GitHub webhook; the secret is shown this once. */
export const ConnectedWebhookSchema = z.object({
  integrationId: z.uuid(),
  /** The Payload URL to paste into GitHub's webhook settings (content type application/json). */
  url: z.url(),
  /** The webhook's signing secret; stored only encrypted, never shown again. */
  secret: z.string(),
});
export type ConnectedWebhookDto = z.infer<typeof ConnectedWebhookSchema>;

/** An event whose handler failed on every attempt (a dead letter), for admins to inspect and retry. */
export const FailedJobSchema = z.object({
  handler: z.string(),
  eventId: z.uuid(),
  eventType: EventTypeSchema,
  occurredAt: z.iso.datetime(),
  attempts: z.number().int().positive(),
  /** The last attempt's error message. */
  error: z.string().nullable(),
  failedAt: z.iso.datetime(),
});
export type FailedJobDto = z.infer<typeof FailedJobSchema>;

export const FailedJobListSchema = z.object({ items: z.array(FailedJobSchema) });
export type FailedJobListDto = z.infer<typeof FailedJobListSchema>;

/** `POST /api/v1/failed-jobs/retry`: give one failed event back to its handler. */
export const RetryFailedJobInputSchema = z.object({
  handler: z.string().min(1).max(200),
  eventId: z.uuid(),
});
export type RetryFailedJobInput = z.infer<typeof RetryFailedJobInputSchema>;

/** `POST /api/v1/integrations/slack`: the Slack app's signing secret (Basic Information → App Credentials). */
export const ConnectSlackInputSchema = z.object({
  signingSecret: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9]{16,128}$/,
      "must be the app's signing secret (letters and digits, from the app's Basic Information page)",
    ),
  /**
   * The app's Bot User OAuth Token (chat:write), to post doc changes to `notifyChannel` and, with
   * users:read.email, to send Slack notifications as direct messages. Optional: without it the app
   * only receives (events, `/devflow ask`). Stored encrypted.
   */
  botToken: z
    .string()
    .trim()
    .regex(/^xoxb-[A-Za-z0-9-]{10,250}$/, "must be the app's Bot User OAuth Token (it starts with xoxb-)")
    .optional(),
  /** The channel that hears about new and archived docs: its id (C0123ABCD, from the channel's details). */
  notifyChannel: z
    .string()
    .trim()
    .regex(/^[CG][A-Z0-9]{6,20}$/, "must be a channel id such as C0123ABCD (the channel's details show it)")
    .optional(),
}).refine((input) => !input.notifyChannel || input.botToken, {
  message: "A channel needs the bot token to post to it",
  path: ["botToken"],
});
export type ConnectSlackInput = z.infer<typeof ConnectSlackInputSchema>;

export const ConnectedSlackSchema = z.object({
  integrationId: z.uuid(),
  /** The Request URL for the app's Event Subscriptions. */
  url: z.url(),
});
export type ConnectedSlackDto = z.infer<typeof ConnectedSlackSchema>;

/**
 * `POST /api/v1/integrations/github-token`: a token DevFlow acts with on GitHub (comments, check
 * runs, issues): a fine-grained or classic personal access token, or an installation token.
 */
export const ConnectGitHubTokenInputSchema = z.object({
  token: z
    .string()
    .trim()
    .regex(/^(ghp_|github_pat_|ghs_|gho_)[A-Za-z0-9_]{20,255}$/, "must be a GitHub token (ghp_…, github_pat_… or ghs_…)"),
  /** GitHub Enterprise Server's API root (https://github.example.com/api/v3); unset for github.com. */
  apiUrl: z.url({ protocol: /^https$/, message: "must be an https:// URL" }).optional(),
});
export type ConnectGitHubTokenInput = z.infer<typeof ConnectGitHubTokenInputSchema>;

/** `POST /api/v1/integrations/jira`: a Jira Cloud site and an API token of the account issues are filed as. */
export const ConnectJiraInputSchema = z.object({
  host: z.url({ protocol: /^https$/, message: "must be the site's https:// address, e.g. https://acme.atlassian.net" }),
  email: z.email("must be the email of the Atlassian account the token belongs to"),
  apiToken: z.string().trim().min(16, "must be an Atlassian API token").max(500),
});
export type ConnectJiraInput = z.infer<typeof ConnectJiraInputSchema>;

/** `POST /api/v1/integrations/linear`: a Linear personal API key. */
export const ConnectLinearInputSchema = z.object({
  apiKey: z
    .string()
    .trim()
    .regex(/^lin_api_[A-Za-z0-9]{20,200}$/, "must be a Linear API key (it starts with lin_api_)"),
});
export type ConnectLinearInput = z.infer<typeof ConnectLinearInputSchema>;

/** What connecting an API credential answers: the new integration (the secret is never shown again). */
export const ConnectedIntegrationSchema = z.object({ integrationId: z.uuid() });
export type ConnectedIntegrationDto = z.infer<typeof ConnectedIntegrationSchema>;
