import type { DocumentKind, DocumentStatus, MemberRole } from "@devflow/contracts";
import type { ReactNode } from "react";
import { cx } from "./class-names";

export type BadgeTone = "neutral" | "blue" | "violet" | "amber" | "green" | "red" | "teal";

export interface BadgeProps {
  tone?: BadgeTone;
  children: ReactNode;
  testId?: string;
}

export function Badge({ tone = "neutral", children, testId }: BadgeProps) {
  return (
    <span className={cx("ui-badge", `ui-badge--${tone}`)} data-testid={testId}>
      {children}
    </span>
  );
}

// Records keyed by the contracts' unions, so a new kind or status fails to compile until it has a colour.
const KIND_TONES: Record<DocumentKind, BadgeTone> = {
  design_doc: "blue",
  rfc: "violet",
  adr: "teal",
  requirements: "amber",
  other: "neutral",
};

const STATUS_TONES: Record<DocumentStatus, BadgeTone> = {
  draft: "neutral",
  in_review: "amber",
  approved: "green",
  superseded: "red",
};

const ROLE_TONES: Record<MemberRole, BadgeTone> = {
  owner: "violet",
  admin: "blue",
  member: "neutral",
  viewer: "neutral",
};

export interface KindBadgeProps {
  kind: DocumentKind;
  /** The human label (the app passes `DOCUMENT_KIND_LABELS[kind]`). */
  children: ReactNode;
}

export function KindBadge({ kind, children }: KindBadgeProps) {
  return (
    <Badge tone={KIND_TONES[kind]} testId="kind-badge">
      {children}
    </Badge>
  );
}

export function StatusBadge({ status, children }: { status: DocumentStatus; children: ReactNode }) {
  return <Badge tone={STATUS_TONES[status]}>{children}</Badge>;
}

export function RoleBadge({ role }: { role: MemberRole }) {
  return <Badge tone={ROLE_TONES[role]}>{role}</Badge>;
}
