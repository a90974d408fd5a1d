import type { DocumentStatus } from "@devflow/contracts";

// Kinds have their labels in contracts (the server uses them too); statuses are only ever shown here.
export const DOCUMENT_STATUS_LABELS: Record<DocumentStatus, string> = {
  draft: "Draft",
  in_review: "In review",
  approved: "Approved",
  superseded: "Superseded",
};
