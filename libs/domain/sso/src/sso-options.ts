import type { RequestContext } from "@devflow/auth";
import { can } from "@devflow/auth";
import type { AuditEntry } from "@devflow/domain-audit";
import { forbidden } from "@devflow/util-core";

/** What the SSO service logs to; pino's logger fits. Never handed secrets. */
export interface SsoLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface SsoServiceOptions {
  /** 32 bytes (ENCRYPTION_KEY) that seal connection secrets at rest. */
  encryptionKey: Uint8Array;
  /**
   * DNS TXT lookup for domain verification, shaped like `dns.promises.resolveTxt`: one array of
   * chunks per record. Rejecting with ENOTFOUND or ENODATA means "no such record".
   */
  resolveTxt: (domain: string) => Promise<string[][]>;
  logger: SsoLogger;
  /** Accept `http://localhost` issuers for a development IdP. Leave off in production. */
  allowLocalhostIssuer?: boolean;
}

export function requireSsoManager(ctx: RequestContext): void {
  if (!can(ctx.actor, "sso:manage")) throw forbidden("Only admins and owners can manage single sign-on");
}

/** The audit actor and address of an admin's request. */
export function auditBy(ctx: RequestContext): Pick<AuditEntry, "actor" | "ipAddress"> {
  return { actor: { type: "user", userId: ctx.actor.userId }, ipAddress: ctx.ipAddress ?? null };
}

/** The additional authenticated data a connection's secret is sealed with: it cannot move to another row. */
export function secretContext(connectionId: string): string {
  return `sso_connections:${connectionId}:client_secret`;
}
