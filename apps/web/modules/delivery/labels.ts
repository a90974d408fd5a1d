import type {
  AiAssistanceKind,
  DoraDeploymentRule,
  DoraFailureRule,
  DoraIncidentRule,
  DoraLeadTimeMatch,
  DoraPullRequestRule,
} from "@devflow/contracts";
import type { BadgeTone } from "@devflow/web-ui";

// Keyed by the contracts' unions, so a new rule fails to compile until it has a label and a colour.
// The long explanations live in DORA_RULE_DESCRIPTIONS and show as the badges' tooltips.

export const DEPLOYMENT_RULES: Record<DoraDeploymentRule, { label: string; tone: BadgeTone }> = {
  succeeded: { label: "Counted · succeeded", tone: "green" },
  failed: { label: "Counted · failed", tone: "red" },
  other_environment: { label: "Excluded · other environment", tone: "neutral" },
  unfinished: { label: "Excluded · unfinished", tone: "neutral" },
};

export const FAILURE_RULES: Record<DoraFailureRule, string> = {
  deployment_failed: "Deployment failed",
  incident_attributed: "Incident attributed",
};

export const PULL_REQUEST_RULES: Record<DoraPullRequestRule, { label: string; tone: BadgeTone }> = {
  deployed: { label: "Counted · deployed", tone: "green" },
  not_deployed: { label: "Excluded · not deployed", tone: "neutral" },
};

export const LEAD_TIME_MATCHES: Record<DoraLeadTimeMatch, string> = {
  merge_commit: "Merge commit",
  base_branch_after_merge: "Base branch after merge",
};

export const INCIDENT_RULES: Record<DoraIncidentRule, { label: string; tone: BadgeTone }> = {
  resolved: { label: "Counted · resolved", tone: "green" },
  open: { label: "Excluded · open", tone: "amber" },
  opened_outside_window: { label: "Excluded · opened outside window", tone: "neutral" },
};

export const AI_ASSISTANCE: Record<AiAssistanceKind, { label: string; tone: BadgeTone }> = {
  ai_assisted: { label: "AI-assisted", tone: "violet" },
  human: { label: "Human", tone: "teal" },
  unknown: { label: "Unknown", tone: "neutral" },
};
