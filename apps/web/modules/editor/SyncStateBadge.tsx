import type { CollabSessionState } from "@devflow/web-data-access";
import { Spinner } from "@devflow/web-ui";

type Shown = "connecting" | "saved" | "syncing" | "offline" | "unavailable";

const LABELS: Record<Shown, string> = {
  connecting: "Connecting…",
  saved: "Saved",
  syncing: "Syncing…",
  offline: "Offline — edits kept",
  unavailable: "Live editing unavailable",
};

function shownState(state: CollabSessionState | null): Shown {
  if (state === null) return "connecting";
  if (state.status === "failed") return "unavailable";
  if (state.version === null) return state.error ? "unavailable" : "connecting";
  return state.syncState;
}

/** Whether every edit is durable on the server, on its way, or kept in this tab until the connection returns. */
export function SyncStateBadge({ state }: { state: CollabSessionState | null }) {
  const shown = shownState(state);
  return (
    <span className={`collab-sync collab-sync--${shown}`} data-testid="sync-state" data-state={shown} role="status">
      {shown === "connecting" || shown === "syncing" ? (
        <Spinner size={12} />
      ) : (
        <span className="collab-sync__dot" aria-hidden />
      )}
      {LABELS[shown]}
    </span>
  );
}
