import {
  QualityGateSettingsSchema,
  RepositorySettingsSchema,
  type CheckConclusion,
  type DocRef,
  type GateResult,
  type QualityGateSettings,
} from "@devflow/contracts";

/**
 * The repository's gates from repositories.settings, defaults filled in. Settings that do not
 * parse (edited by hand, or by an older version) fall back to the defaults rather than failing
 * every pull request of the repository; `invalid` says so, and the check run's summary shows it.
 */
export function gateSettingsOf(settings: unknown): { gates: QualityGateSettings; invalid: boolean } {
  const parsed = RepositorySettingsSchema.safeParse(settings ?? {});
  return parsed.success
    ? { gates: parsed.data.qualityGates, invalid: false }
    : { gates: QualityGateSettingsSchema.parse({}), invalid: true };
}

export interface GateFacts {
  risk: number;
  sourceChanged: boolean;
  testsChanged: boolean;
  docs: readonly DocRef[];
}

/** Each gate's outcome and why; a gate switched off is "skipped", saying so. */
export function evaluateGates(settings: QualityGateSettings, facts: GateFacts): GateResult[] {
  // A doc linked from an issue the pull request references is linked by the author too; a retrieved one is a guess.
  const linked = facts.docs.filter((doc) => doc.source !== "retrieved");
  const results: GateResult[] = [
    facts.risk > settings.maxRisk
      ? { gate: "maxRisk", outcome: "failed", reason: `Risk ${facts.risk} is above the limit of ${settings.maxRisk}` }
      : { gate: "maxRisk", outcome: "passed", reason: `Risk ${facts.risk} is within the limit of ${settings.maxRisk}` },
  ];
  if (!settings.requireTestsWithSource) {
    results.push({ gate: "requireTestsWithSource", outcome: "skipped", reason: "Not required for this repository" });
  } else if (!facts.sourceChanged) {
    results.push({ gate: "requireTestsWithSource", outcome: "passed", reason: "No source files changed" });
  } else {
    results.push(
      facts.testsChanged
        ? { gate: "requireTestsWithSource", outcome: "passed", reason: "Source and test files changed together" }
        : {
            gate: "requireTestsWithSource",
            outcome: "failed",
            reason: "Source files changed but no test file did",
          },
    );
  }
  if (!settings.requireLinkedDoc) {
    results.push({ gate: "requireLinkedDoc", outcome: "skipped", reason: "Not required for this repository" });
  } else {
    results.push(
      linked.length > 0
        ? { gate: "requireLinkedDoc", outcome: "passed", reason: `Links ${linked.length} design doc(s)` }
        : {
            gate: "requireLinkedDoc",
            outcome: "failed",
            reason: "The description links no DevFlow design doc (a document URL or devflow:<id>)",
          },
    );
  }
  if (!settings.requireApprovedDoc) {
    results.push({ gate: "requireApprovedDoc", outcome: "skipped", reason: "Not required for this repository" });
  } else if (linked.length === 0) {
    // Nothing to judge: whether a doc is required is requireLinkedDoc's call, not this gate's.
    results.push({ gate: "requireApprovedDoc", outcome: "neutral", reason: "No linked design doc to check" });
  } else {
    const unapproved = linked.filter((doc) => doc.status !== "approved");
    results.push(
      unapproved.length === 0
        ? { gate: "requireApprovedDoc", outcome: "passed", reason: "Every linked design doc is approved" }
        : {
            gate: "requireApprovedDoc",
            outcome: "failed",
            reason: `Not approved: ${unapproved.map((doc) => `"${doc.title}" (${doc.status})`).join(", ")}`,
          },
    );
  }
  return results;
}

/** failure if any gate failed, else neutral if any could not judge, else success. */
export function conclusionOf(gates: readonly GateResult[]): CheckConclusion {
  if (gates.some((gate) => gate.outcome === "failed")) return "failure";
  if (gates.some((gate) => gate.outcome === "neutral")) return "neutral";
  return "success";
}
