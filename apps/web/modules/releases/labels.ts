import type { ReleaseGateName, ReleaseVerdict } from "@devflow/contracts";
import type { BadgeTone } from "@devflow/web-ui";

// Records keyed by the contracts' unions, so a new gate or verdict fails to compile until it has a label.
export const GATE_LABELS: Record<ReleaseGateName, { title: string; rule: string }> = {
  pr_risk: {
    title: "Pull request risk",
    rule: "Fails on an open pull request rated high risk; unknown while one is not analysed.",
  },
  open_blockers: {
    title: "Open blockers",
    rule: "Fails while an issue labelled blocker or critical, or triaged P1, is open.",
  },
  doc_approvals: {
    title: "Design doc approvals",
    rule: "Fails while a linked design doc is draft, in review or superseded; unknown when none is linked.",
  },
  failing_checks: {
    title: "Failing checks",
    rule: "Fails when the latest analysis of an open or merged pull request concluded failure.",
  },
  dora_trend: {
    title: "DORA trend",
    rule: "Fails when the change failure rate of the last 30 days rose more than 10 points over the 30 before.",
  },
};

export const VERDICT_LABELS: Record<ReleaseVerdict, { label: string; tone: BadgeTone }> = {
  pass: { label: "Pass", tone: "green" },
  fail: { label: "Fail", tone: "red" },
  unknown: { label: "Unknown", tone: "neutral" },
};
