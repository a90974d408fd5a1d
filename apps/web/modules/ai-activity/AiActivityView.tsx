"use client";

import type { MyOrganizationDto } from "@devflow/contracts";
import { useGetAiActivitySummaryQuery, useListProjectsInfiniteQuery } from "@devflow/web-data-access";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import {
  ACTIVITY_TABS,
  callArgs,
  filtersToSearch,
  hasFilters,
  ledgerArgs,
  readFilters,
  todayUtc,
  type ActivityFilters,
  type ActivityTab,
} from "./activity-filters";
import { ActivityFilterForm } from "./ActivityFilterForm";
import { CallsPanel } from "./CallsPanel";
import { LedgerPanel } from "./LedgerPanel";
import styles from "./ai-activity.module.css";

const TAB_LABELS: Record<ActivityTab, string> = { calls: "AI calls", ledger: "Agent ledger" };

/**
 * The AI activity page: model calls (chart, totals, list) and the agent ledger, as two tabs. The
 * filters live in the URL, so the back button, a reload and a shared link all show the same view.
 */
export function AiActivityView({
  organization,
  seesEverything,
}: {
  organization: MyOrganizationDto;
  seesEverything: boolean;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const today = useMemo(() => todayUtc(), []);
  const applied = useMemo(() => readFilters(new URLSearchParams(search.toString()), today), [search, today]);
  const [draft, setDraft] = useState<ActivityFilters>(applied);
  // Back/forward and links change the URL: the form follows.
  useEffect(() => setDraft(applied), [applied]);

  const projects = useListProjectsInfiniteQuery({ organizationId: organization.id, limit: 100 });
  const projectOptions =
    projects.currentData?.pages.flatMap((p) => p.items).map((p) => ({ id: p.id, name: p.name })) ?? [];
  const args = callArgs(applied);
  const summary = useGetAiActivitySummaryQuery(
    { organizationId: organization.id, ...args },
    { skip: applied.tab !== "calls" },
  );

  function navigate(next: ActivityFilters) {
    const query = filtersToSearch(next, today);
    router.push(query ? `${pathname}?${query}` : pathname, { scroll: false });
  }

  function clear() {
    navigate({ ...readFilters(new URLSearchParams(), today), tab: applied.tab });
  }

  const isFiltered = hasFilters(applied, applied.tab);
  return (
    <div className="page">
      <header className="page-header">
        <div className="page-header__text">
          <h1 className="page-title">AI activity</h1>
          <p className="page-subtitle">
            {seesEverything
              ? `Every AI call and agent tool run in ${organization.name}.`
              : "Your AI calls and agent runs, and those in projects you can see."}{" "}
            Days are in UTC.
          </p>
        </div>
      </header>

      <Tabs current={applied.tab} onSelect={(tab) => navigate({ ...applied, tab })} />

      <div
        role="tabpanel"
        id={`activity-panel-${applied.tab}`}
        aria-labelledby={`activity-tab-${applied.tab}`}
        className={styles.panel}
      >
        <ActivityFilterForm
          draft={{ ...draft, tab: applied.tab }}
          onChange={setDraft}
          onApply={() => navigate({ ...draft, tab: applied.tab })}
          onClear={isFiltered || hasFilters(draft, applied.tab) ? clear : null}
          projects={projectOptions}
          models={summary.data?.byModel.map((m) => m.model) ?? []}
        />
        {applied.tab === "calls" ? (
          <CallsPanel
            organizationId={organization.id}
            args={args}
            isFiltered={isFiltered}
            summary={{
              data: summary.currentData,
              error: summary.error,
              isFetching: summary.isFetching,
              refetch: () => void summary.refetch(),
            }}
          />
        ) : (
          <LedgerPanel
            organizationId={organization.id}
            orgSlug={organization.slug}
            args={ledgerArgs(applied)}
            isFiltered={isFiltered}
          />
        )}
      </div>
    </div>
  );
}

/** WAI-ARIA tabs: arrow keys, Home and End move between them; the selected one is the only tab stop. */
function Tabs({ current, onSelect }: { current: ActivityTab; onSelect: (tab: ActivityTab) => void }) {
  const refs = useRef<Partial<Record<ActivityTab, HTMLButtonElement | null>>>({});

  function onKeyDown(event: KeyboardEvent) {
    const index = ACTIVITY_TABS.indexOf(current);
    const last = ACTIVITY_TABS.length - 1;
    const next =
      event.key === "ArrowRight"
        ? index === last
          ? 0
          : index + 1
        : event.key === "ArrowLeft"
          ? index === 0
            ? last
            : index - 1
          : event.key === "Home"
            ? 0
            : event.key === "End"
              ? last
              : null;
    if (next === null) return;
    event.preventDefault();
    const tab = ACTIVITY_TABS[next]!;
    onSelect(tab);
    refs.current[tab]?.focus();
  }

  return (
    <div role="tablist" aria-label="AI activity" className={styles.tabs} onKeyDown={onKeyDown}>
      {ACTIVITY_TABS.map((tab) => (
        <button
          key={tab}
          ref={(el) => {
            refs.current[tab] = el;
          }}
          type="button"
          role="tab"
          id={`activity-tab-${tab}`}
          aria-selected={tab === current}
          aria-controls={`activity-panel-${tab}`}
          tabIndex={tab === current ? 0 : -1}
          className={styles.tab}
          onClick={() => onSelect(tab)}
          data-testid={`tab-${tab}`}
        >
          {TAB_LABELS[tab]}
        </button>
      ))}
    </div>
  );
}
