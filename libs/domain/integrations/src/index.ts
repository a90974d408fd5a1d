export { createIntegrationsService } from "./integrations.service";
export type { ConnectedWebhook, IntegrationsService, IntegrationsServiceOptions } from "./integrations.service";
export { createWebhookIngress } from "./webhook-ingress";
export type {
  IncomingDelivery,
  WebhookIngress,
  WebhookIngressOptions,
  WebhookProvider,
  WebhookTarget,
} from "./webhook-ingress";
export { createWebhookDeliveryHandler } from "./webhook-delivery-handler";
export { applyGitHubEvent } from "./github/github-event-processor";
export type { GitHubEventInput, GitHubEventSummary, GitHubTable, TouchedRow } from "./github/github-event-processor";
