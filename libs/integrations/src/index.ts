export { plainTextToAdf } from "./adf";
export type { AdfDocument, AdfNode } from "./adf";
export {
  DEFAULT_RETRY_AFTER_SECONDS,
  OutsideServiceRejectedError,
  OutsideServiceUnavailableError,
  RateLimitedError,
} from "./errors";
export type { UnavailableReason } from "./errors";
export { createGitHubClient } from "./github";
export type {
  CheckRun,
  CheckRunConclusion,
  CheckRunOutput,
  CheckRunStatus,
  GitHubClient,
  GitHubClientOptions,
  PullRequest,
  PullRequestCommit,
  PullRequestFile,
  RepoRef,
} from "./github";
export { createJiraClient } from "./jira";
export type { CreateJiraIssueInput, JiraClient, JiraClientOptions } from "./jira";
export { createLinearClient } from "./linear";
export type { CreateLinearIssueInput, LinearClientOptions, LinearIssuesClient } from "./linear";
export {
  breakerKey,
  createResilientCaller,
  createResilientCallerRegistry,
  OUTSIDE_CALL_BREAKER_DEFAULTS,
} from "./resilience";
export type {
  BreakerLogger,
  BreakerState,
  ResilientCaller,
  ResilientCallerOptions,
  ResilientCallerRegistry,
} from "./resilience";
export { createSlackClient, escapeMrkdwn, SlackRejectedError } from "./slack";
export type { SlackBlock, SlackClient, SlackClientOptions, SlackResponseUrlBody } from "./slack";
