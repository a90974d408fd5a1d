// The pure decisions of the GitHub event processor: what state a payload describes, and whether a
// payload is older than what is already stored. GitHub does not promise delivery order (retries,
// redeliveries and parallel hooks interleave), so every rule here compares timestamps carried in
// the payloads, never the order in which deliveries arrive.

export type PullRequestState = "open" | "closed" | "merged";
export type DeploymentStatus = "pending" | "in_progress" | "success" | "failure" | "error" | "inactive";

/** A pull request is merged once it has a merge time (the review event's copy has no `merged` flag). */
export function pullRequestStateOf(pr: {
  state: "open" | "closed";
  merged?: boolean | null;
  merged_at: string | null;
}): PullRequestState {
  if (pr.merged === true || pr.merged_at !== null) return "merged";
  return pr.state;
}

/** Something that opens and closes: a pull request, or the issue behind an incident. */
export interface StoredLifecycle {
  state: PullRequestState;
  closedAt: Date | null;
}

export interface IncomingLifecycle {
  state: PullRequestState;
  /** The payload's `updated_at`: when GitHub last changed the object. */
  updatedAt: Date;
  closedAt: Date | null;
  /** The event's action; `reopened` is trusted within the second of the close it undoes. */
  action?: string | undefined;
}

/**
 * True when `incoming` describes the object before the state already stored, so applying it would
 * move the row back in time (a `synchronize` delivered after the `closed` that followed it).
 *
 * No column keeps GitHub's `updated_at`, so the rule compares the payload with the close time that
 * is stored, which is the only transition that can be regressed:
 * - merged is final on GitHub: only another merged payload (an edit after merging) applies;
 * - closed: an open payload applies only if GitHub changed the object after the close (a genuine
 *   reopen); `updated_at` has one-second resolution, so a `reopened` in the same second as the close
 *   applies, anything else in that second is taken to predate the close; a closed payload applies
 *   unless it is an earlier close (closed, reopened, closed again, the first close arriving last);
 * - open: everything applies. An older open payload after a newer one (two `edited`, or an
 *   `edited` and a `synchronize`) is not detected: that needs GitHub's `updated_at` stored per row.
 */
export function isOlderThanStored(stored: StoredLifecycle, incoming: IncomingLifecycle): boolean {
  if (stored.state === "merged") return incoming.state !== "merged";
  if (stored.state === "closed" && stored.closedAt) {
    const closedAt = stored.closedAt.getTime();
    if (incoming.state === "open") {
      const changedAt = incoming.updatedAt.getTime();
      return incoming.action === "reopened" ? changedAt < closedAt : changedAt <= closedAt;
    }
    if (incoming.state === "closed") return incoming.closedAt !== null && incoming.closedAt.getTime() < closedAt;
  }
  return false;
}

/** The earlier of two optional times: review times only ever move earlier. */
export function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() <= b.getTime() ? a : b;
}

const STATUS_BY_GITHUB_STATE: Readonly<Record<string, DeploymentStatus>> = {
  queued: "pending",
  pending: "pending",
  in_progress: "in_progress",
  success: "success",
  failure: "failure",
  error: "error",
  inactive: "inactive",
};

/** The stored status for a deployment_status `state`, or null for one GitHub adds later. */
export function deploymentStatusOf(state: string): DeploymentStatus | null {
  return STATUS_BY_GITHUB_STATE[state.toLowerCase()] ?? null;
}

const isTerminal = (status: DeploymentStatus) => status === "success" || status === "failure" || status === "error";

export interface StoredDeployment {
  status: DeploymentStatus;
  /** When the latest terminal status was created (GitHub's deployment_status.created_at). */
  finishedAt: Date | null;
}

/**
 * The deployment's status after a deployment_status created at `at`, or null when the status is
 * older than what is stored and changes nothing. A status never moves back:
 * - pending < in_progress < any other status;
 * - success, failure and error finish the deployment; between two of them the later one (by the
 *   status's created_at, kept in finishedAt) wins, so a re-run's success replaces a failure but a
 *   late-delivered older failure does not replace a newer success;
 * - inactive (GitHub's "superseded by a newer deployment") replaces pending, in_progress and
 *   success, keeping finishedAt, and never hides a failure or error: an inactive deployment with a
 *   finishedAt therefore succeeded before it was superseded. A success arriving after inactive only
 *   fills in finishedAt.
 */
export function nextDeploymentStatus(
  stored: StoredDeployment | null,
  incoming: DeploymentStatus,
  at: Date,
): StoredDeployment | null {
  if (isTerminal(incoming)) {
    if (stored?.finishedAt && at.getTime() <= stored.finishedAt.getTime()) return null;
    return { status: stored?.status === "inactive" && incoming === "success" ? "inactive" : incoming, finishedAt: at };
  }
  if (incoming === "inactive") {
    if (stored && (stored.status === "inactive" || stored.status === "failure" || stored.status === "error")) {
      return null;
    }
    return { status: "inactive", finishedAt: stored?.finishedAt ?? null };
  }
  if (!stored) return { status: incoming, finishedAt: null };
  const progressed = stored.status === "pending" && incoming === "in_progress";
  return progressed ? { status: incoming, finishedAt: null } : null;
}

/** Whether a stored deployment counts as a successful one (see nextDeploymentStatus for inactive). */
export function hasSucceeded(deployment: StoredDeployment): boolean {
  return deployment.status === "success" || (deployment.status === "inactive" && deployment.finishedAt !== null);
}

const INCIDENT_LABEL = "incident";
const SEVERITY_LABEL = /^severity\s*:\s*(.+)$/i;

/**
 * Whether an issue's labels make it an incident (a label named `incident`, any case), and its
 * severity: the first `severity:<x>` label's x, lower-cased, or "unknown".
 */
export function incidentOf(labels: readonly { name: string }[]): { isIncident: boolean; severity: string } {
  const names = labels.map((label) => label.name.trim());
  const severity = names.map((name) => SEVERITY_LABEL.exec(name)?.[1]?.trim().toLowerCase()).find(Boolean);
  return {
    isIncident: names.some((name) => name.toLowerCase() === INCIDENT_LABEL),
    severity: severity ?? "unknown",
  };
}
