import { describe, expect, it } from "vitest";
import {
  deploymentStatusOf,
  earliest,
  hasSucceeded,
  incidentOf,
  isOlderThanStored,
  nextDeploymentStatus,
  pullRequestStateOf,
} from "./github-rules";

const at = (time: string) => new Date(`2026-01-01T${time}Z`);

describe("pullRequestStateOf", () => {
  it("is merged when merged or given a merge time, otherwise GitHub's state", () => {
    expect(pullRequestStateOf({ state: "closed", merged: true, merged_at: "2026-01-01T10:00:00Z" })).toBe("merged");
    expect(pullRequestStateOf({ state: "closed", merged_at: "2026-01-01T10:00:00Z" })).toBe("merged");
    expect(pullRequestStateOf({ state: "closed", merged: false, merged_at: null })).toBe("closed");
    expect(pullRequestStateOf({ state: "open", merged: null, merged_at: null })).toBe("open");
  });
});

describe("isOlderThanStored", () => {
  const closed = { state: "closed" as const, closedAt: at("10:00:00") };

  it("never leaves merged, but applies edits made after merging", () => {
    const merged = { state: "merged" as const, closedAt: at("10:00:00") };
    expect(isOlderThanStored(merged, { state: "open", updatedAt: at("11:00:00"), closedAt: null })).toBe(true);
    expect(isOlderThanStored(merged, { state: "closed", updatedAt: at("11:00:00"), closedAt: at("10:00:00") })).toBe(
      true,
    );
    expect(isOlderThanStored(merged, { state: "merged", updatedAt: at("11:00:00"), closedAt: at("10:00:00") })).toBe(
      false,
    );
  });

  it("does not reopen for a payload from before the close (a late synchronize)", () => {
    const synchronize = { state: "open" as const, closedAt: null, action: "synchronize" };
    expect(isOlderThanStored(closed, { ...synchronize, updatedAt: at("09:59:00") })).toBe(true);
    expect(isOlderThanStored(closed, { ...synchronize, updatedAt: at("10:00:00") })).toBe(true);
    expect(isOlderThanStored(closed, { ...synchronize, updatedAt: at("10:00:01") })).toBe(false);
  });

  it("reopens for a reopen in the same second as the close, not before it", () => {
    const reopened = { state: "open" as const, closedAt: null, action: "reopened" };
    expect(isOlderThanStored(closed, { ...reopened, updatedAt: at("10:00:00") })).toBe(false);
    expect(isOlderThanStored(closed, { ...reopened, updatedAt: at("09:59:59") })).toBe(true);
  });

  it("keeps the later of two closes, and lets a merge follow a close", () => {
    expect(isOlderThanStored(closed, { state: "closed", updatedAt: at("10:00:00"), closedAt: at("09:00:00") })).toBe(
      true,
    );
    expect(isOlderThanStored(closed, { state: "closed", updatedAt: at("12:00:00"), closedAt: at("10:00:00") })).toBe(
      false,
    );
    expect(isOlderThanStored(closed, { state: "merged", updatedAt: at("09:00:00"), closedAt: at("09:00:00") })).toBe(
      false,
    );
  });

  it("applies anything over an open row", () => {
    const open = { state: "open" as const, closedAt: null };
    expect(isOlderThanStored(open, { state: "closed", updatedAt: at("01:00:00"), closedAt: at("01:00:00") })).toBe(
      false,
    );
  });
});

describe("earliest", () => {
  it("keeps the earlier time and ignores a missing one", () => {
    expect(earliest(at("10:00:00"), at("09:00:00"))).toEqual(at("09:00:00"));
    expect(earliest(null, at("09:00:00"))).toEqual(at("09:00:00"));
    expect(earliest(at("10:00:00"), null)).toEqual(at("10:00:00"));
    expect(earliest(null, null)).toBeNull();
  });
});

describe("deploymentStatusOf", () => {
  it("maps GitHub's states, queued as pending, and nothing else", () => {
    expect(deploymentStatusOf("queued")).toBe("pending");
    expect(deploymentStatusOf("in_progress")).toBe("in_progress");
    for (const state of ["pending", "success", "failure", "error", "inactive"]) {
      expect(deploymentStatusOf(state)).toBe(state);
    }
    expect(deploymentStatusOf("SUCCESS")).toBe("success");
    expect(deploymentStatusOf("waiting")).toBeNull();
  });
});

describe("nextDeploymentStatus", () => {
  const pending = { status: "pending" as const, finishedAt: null };
  const success = { status: "success" as const, finishedAt: at("10:00:00") };

  it("moves forward from pending through in_progress to a finish", () => {
    expect(nextDeploymentStatus(null, "pending", at("09:00:00"))).toEqual(pending);
    expect(nextDeploymentStatus(pending, "in_progress", at("09:01:00"))).toEqual({
      status: "in_progress",
      finishedAt: null,
    });
    expect(nextDeploymentStatus({ status: "in_progress", finishedAt: null }, "success", at("10:00:00"))).toEqual(
      success,
    );
  });

  it("never moves back to pending or in_progress", () => {
    expect(nextDeploymentStatus(success, "pending", at("11:00:00"))).toBeNull();
    expect(nextDeploymentStatus(success, "in_progress", at("11:00:00"))).toBeNull();
    expect(nextDeploymentStatus({ status: "in_progress", finishedAt: null }, "pending", at("11:00:00"))).toBeNull();
  });

  it("keeps the later of two finishes", () => {
    expect(nextDeploymentStatus(success, "failure", at("09:59:59"))).toBeNull();
    expect(nextDeploymentStatus(success, "success", at("10:00:00"))).toBeNull();
    expect(nextDeploymentStatus({ status: "failure", finishedAt: at("10:00:00") }, "success", at("10:05:00"))).toEqual({
      status: "success",
      finishedAt: at("10:05:00"),
    });
  });

  it("marks a success superseded without forgetting it succeeded, and never hides a failure", () => {
    const inactive = nextDeploymentStatus(success, "inactive", at("12:00:00"));
    expect(inactive).toEqual({ status: "inactive", finishedAt: at("10:00:00") });
    expect(hasSucceeded(inactive!)).toBe(true);
    expect(
      nextDeploymentStatus({ status: "failure", finishedAt: at("10:00:00") }, "inactive", at("12:00:00")),
    ).toBeNull();
  });

  it("ends in the same state whichever of success and inactive arrives first", () => {
    const inactiveFirst = nextDeploymentStatus(
      nextDeploymentStatus(pending, "inactive", at("12:00:00")),
      "success",
      at("10:00:00"),
    );
    const successFirst = nextDeploymentStatus(
      nextDeploymentStatus(pending, "success", at("10:00:00")),
      "inactive",
      at("12:00:00"),
    );
    expect(inactiveFirst).toEqual(successFirst);
    expect(hasSucceeded({ status: "inactive", finishedAt: null })).toBe(false);
  });
});

describe("incidentOf", () => {
  it("recognizes the incident label in any case and reads the severity label", () => {
    expect(incidentOf([{ name: "bug" }, { name: "Incident" }, { name: "Severity: SEV1 " }])).toEqual({
      isIncident: true,
      severity: "sev1",
    });
  });

  it("says unknown severity without a severity label, and no incident without the label", () => {
    expect(incidentOf([{ name: "incident" }])).toEqual({ isIncident: true, severity: "unknown" });
    expect(incidentOf([{ name: "incidents" }, { name: "severity:high" }])).toEqual({
      isIncident: false,
      severity: "high",
    });
  });
});
