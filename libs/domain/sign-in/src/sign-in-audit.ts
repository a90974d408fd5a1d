import type { Database } from "@devflow/db";
import { recordAudit } from "@devflow/domain-audit";

export interface SignInEvent {
  organizationId: string;
  userId: string | null;
  method: "sso" | "email" | "github" | "dev";
  ipAddress?: string | null;
  /** Why a sign-in failed, e.g. "sso_required"; never a secret. */
  reason?: string;
  email?: string;
}

/** Records sign-ins and refused sign-ins in the organization's audit log. */
export function createSignInAudit(db: Database) {
  return {
    async succeeded(event: SignInEvent): Promise<void> {
      await db.withTenant({ organizationId: event.organizationId }, (tx) =>
        recordAudit(tx, event.organizationId, {
          action: "auth.sign_in",
          actor: { type: "user", userId: event.userId },
          metadata: { method: event.method },
          ipAddress: event.ipAddress ?? null,
        }),
      );
    },

    async failed(event: SignInEvent): Promise<void> {
      await db.withTenant({ organizationId: event.organizationId }, (tx) =>
        recordAudit(tx, event.organizationId, {
          action: "auth.sign_in_failed",
          actor: { type: event.userId ? "user" : "system", userId: event.userId },
          metadata: {
            method: event.method,
            reason: event.reason ?? "unknown",
            ...(event.email && { email: event.email }),
          },
          ipAddress: event.ipAddress ?? null,
        }),
      );
    },
  };
}
export type SignInAudit = ReturnType<typeof createSignInAudit>;
