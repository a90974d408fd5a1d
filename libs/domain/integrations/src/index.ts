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
export { hasSucceeded } from "./github/github-rules";
export type { DeploymentStatus } from "./github/github-rules";
export { isProduction } from "./github/incidents";
export type { WebhookDeliveryHandlerOptions } from "./webhook-delivery-handler";
export {
  acknowledgement as slashCommandAcknowledgement,
  SlashCommandSchema,
  SLACK_READER_ID,
} from "./slack/slash-command";
export type { CitedSource, SlashCommand, SlashCommandDeps } from "./slack/slash-command";
export { createDocChangeNotifiers } from "./slack/doc-change-notifier";
export type { DocChangeNotifierDeps } from "./slack/doc-change-notifier";
export { createIntegrationClients } from "./integration-clients";
export type { IntegrationClients, IntegrationClientsOptions } from "./integration-clients";
export { linkRepository, listRepositories } from "./repositories.service";
export { getQualityGates, setQualityGates } from "./repository-gates.service";
export type { QualityGateSettingsInput } from "./repository-gates.service";
export { createPrAnalysisWorkflow, PR_ANALYSIS_WORKFLOW } from "./pr-analysis/pr-analysis.workflow";
export type { PrAnalysisDeps, PrAnalysisInput } from "./pr-analysis/pr-analysis.workflow";
export { createIssuesFromDocsService } from "./issues-from-docs/issues-from-docs.service";
export type { IssuesFromDocsOptions, IssuesFromDocsService } from "./issues-from-docs/issues-from-docs.service";
export { draftIssue } from "./issues-from-docs/issue-draft";
