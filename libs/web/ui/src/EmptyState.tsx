import type { ReactNode } from "react";

export interface EmptyStateProps {
  title: string;
  description?: ReactNode;
  /** Usually the one button that fixes the emptiness ("Create the first document"). */
  action?: ReactNode;
  testId?: string;
}

export function EmptyState({ title, description, action, testId }: EmptyStateProps) {
  return (
    <div className="ui-empty" data-testid={testId}>
      <div className="ui-empty__art" aria-hidden>
        <svg viewBox="0 0 48 48" width="40" height="40" fill="none" stroke="currentColor" strokeWidth="2">
          <rect x="10" y="6" width="28" height="36" rx="4" />
          <path d="M17 16h14M17 23h14M17 30h8" strokeLinecap="round" />
        </svg>
      </div>
      <p className="ui-empty__title">{title}</p>
      {description && <p className="ui-empty__description">{description}</p>}
      {action && <div className="ui-empty__action">{action}</div>}
    </div>
  );
}
