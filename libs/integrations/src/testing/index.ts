export { startFakeGitHub } from "./fake-github";
export type {
  FakeCheckRun,
  FakeCommit,
  FakeGitHub,
  FakeIssueComment,
  FakePullRequest,
  FakePullRequestFile,
} from "./fake-github";
export { startFakeJira } from "./fake-jira";
export type { FakeJira, FakeJiraIssue, FakeJiraOptions } from "./fake-jira";
export { startFakeLinear } from "./fake-linear";
export type { FakeLinear, FakeLinearIssue, FakeLinearOptions } from "./fake-linear";
export { startFakeSlack } from "./fake-slack";
export type { FakeSlack, FakeSlackMessage } from "./fake-slack";
export { headerValue, startLoopbackServer } from "./loopback-server";
export type { LoopbackHandler, LoopbackReply, LoopbackRequest, LoopbackServer } from "./loopback-server";
