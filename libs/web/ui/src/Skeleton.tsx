import type { CSSProperties } from "react";

export interface SkeletonProps {
  width?: CSSProperties["width"];
  height?: CSSProperties["height"];
}

/** A shimmering placeholder with the rough shape of content that is still loading. */
export function Skeleton({ width = "100%", height = 14 }: SkeletonProps) {
  return <span className="ui-skeleton" style={{ width, height }} aria-hidden />;
}

export interface SkeletonListProps {
  rows?: number;
  /** Announced once for the whole list, instead of once per row. */
  label?: string;
}

export function SkeletonList({ rows = 4, label = "Loading" }: SkeletonListProps) {
  return (
    <div className="ui-skeleton-list" role="status" aria-label={label} data-testid="skeleton">
      {Array.from({ length: rows }, (_, i) => (
        <div className="ui-skeleton-list__row" key={i}>
          <Skeleton width={`${55 - ((i * 13) % 25)}%`} height={16} />
          <Skeleton width={72} height={20} />
        </div>
      ))}
    </div>
  );
}
