export { createIssueTriageHandler, ISSUE_TRIAGE_HANDLER } from "./issue-triage.handler";
export { createProjectIssuesService, listProjectIssues } from "./project-issues.service";
export type { ProjectIssuesService } from "./project-issues.service";
export { duplicateThreshold, triageIssue, triagePassage, type TriageOptions } from "./triage.service";
export { suggestComponent, suggestLabels, suggestPriority } from "./triage-rules";
