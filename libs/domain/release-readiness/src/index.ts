export { assessRelease } from "./assess-release";
export type {
  AssessReleaseInput,
  ReleaseAssessment,
  ReleaseDocument,
  ReleaseDoraWindow,
  ReleaseIssue,
  ReleasePullRequest,
} from "./assess-release";
export { createReleaseReadinessService, listMilestones, readReleaseReadiness } from "./release-readiness.service";
export type { ReleaseReadinessService } from "./release-readiness.service";
