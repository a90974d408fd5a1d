import type { RequestContext } from "@devflow/auth";
import {
  DOMAIN_VERIFICATION_PREFIX,
  SSO_DOMAINS_MAX,
  type SsoDomainDto,
  type SsoEnforcementDto,
  type VerifySsoDomainResult,
} from "@devflow/contracts";
import { type Database, isUniqueViolation, type Tx } from "@devflow/db";
import { recordAudit } from "@devflow/domain-audit";
import { AppError, notFound } from "@devflow/util-core";
import { randomBytes } from "node:crypto";
import { normalizeDomain } from "./domain-name";
import * as repo from "./sso.repository";
import type { DomainRow } from "./sso.repository";
import { auditBy, requireSsoManager, type SsoServiceOptions } from "./sso-options";

const TOKEN_PREFIX = "devflow-verification=";

/** Admin operations on an organization's claimed email domains and on SSO enforcement. */
export function createDomainsService(db: Database, options: SsoServiceOptions) {
  async function loadDomain(tx: Tx, id: string): Promise<DomainRow> {
    const row = await repo.findDomain(tx, id);
    if (!row) throw notFound("Domain", id);
    return row;
  }

  return {
    async listDomains(ctx: RequestContext): Promise<SsoDomainDto[]> {
      requireSsoManager(ctx);
      const rows = await db.withTenant(ctx, (tx) => repo.listDomains(tx));
      return rows.map(toDomainDto);
    },

    /** Claims a domain (pending) and returns it with the TXT record that proves control of it. */
    async addDomain(ctx: RequestContext, input: string): Promise<SsoDomainDto> {
      requireSsoManager(ctx);
      const domain = normalizeDomain(input);
      try {
        return await db.withTenant(ctx, async (tx) => {
          if (await repo.findDomainByName(tx, domain)) {
            throw new AppError("conflict", `${domain} is already added to this organization`, { report: false });
          }
          if ((await repo.countDomains(tx)) >= SSO_DOMAINS_MAX) {
            throw new AppError("conflict", `An organization can claim at most ${SSO_DOMAINS_MAX} domains`, {
              report: false,
            });
          }
          const row = await repo.insertDomain(tx, {
            organizationId: ctx.organizationId,
            domain,
            verificationToken: randomBytes(18).toString("base64url"),
          });
          await recordAudit(tx, ctx.organizationId, {
            action: "sso.domain_added",
            ...auditBy(ctx),
            target: { type: "organization_domain", id: row.id },
            metadata: { domain },
          });
          return toDomainDto(row);
        });
      } catch (error) {
        // The row is invisible from this tenant, so the unique index is what says another organization has it.
        if (isUniqueViolation(error)) {
          throw new AppError("conflict", `${domain} is already claimed by another organization`, {
            report: false,
            cause: error,
          });
        }
        throw error;
      }
    },

    /** Looks the TXT record up (outside any transaction) and marks the domain verified when it matches. */
    async verifyDomain(ctx: RequestContext, id: string): Promise<VerifySsoDomainResult> {
      requireSsoManager(ctx);
      const row = await db.withTenant(ctx, (tx) => loadDomain(tx, id));
      const record = txtRecordOf(row);
      if (row.verifiedAt) {
        return { verified: true, message: `${row.domain} is already verified`, found: [], domain: toDomainDto(row) };
      }
      const lookup = await lookUpTxt(options, record.name);
      if ("error" in lookup) {
        return { verified: false, message: lookup.error, found: [], domain: toDomainDto(row) };
      }
      const found = lookup.values;
      if (!found.includes(record.value)) {
        options.logger.info({ domainId: row.id, domain: row.domain, records: found.length }, "domain not verified");
        return { verified: false, message: mismatchMessage(record, found), found, domain: toDomainDto(row) };
      }
      const verified = await db.withTenant(ctx, async (tx) => {
        const current = await loadDomain(tx, id);
        if (current.verifiedAt) return current;
        const updated = await repo.markDomainVerified(tx, id, new Date());
        await recordAudit(tx, ctx.organizationId, {
          action: "sso.domain_verified",
          ...auditBy(ctx),
          target: { type: "organization_domain", id },
          metadata: { domain: row.domain },
        });
        return updated;
      });
      options.logger.info({ domainId: row.id, domain: row.domain }, "domain verified");
      return { verified: true, message: `${row.domain} is verified`, found, domain: toDomainDto(verified) };
    },

    async removeDomain(ctx: RequestContext, id: string): Promise<void> {
      requireSsoManager(ctx);
      await db.withTenant(ctx, async (tx) => {
        const row = await loadDomain(tx, id);
        if (row.verifiedAt) {
          const organization = await repo.findOrganization(tx, ctx.organizationId);
          if (organization?.enforceSso && (await repo.countVerifiedDomains(tx, id)) === 0) {
            throw new AppError(
              "conflict",
              `Cannot remove ${row.domain}: it is the last verified domain and SSO is enforced. Turn enforcement off first.`,
              { report: false },
            );
          }
        }
        await repo.deleteDomain(tx, id);
        await recordAudit(tx, ctx.organizationId, {
          action: "sso.domain_removed",
          ...auditBy(ctx),
          target: { type: "organization_domain", id },
          metadata: { domain: row.domain, wasVerified: row.verifiedAt !== null },
        });
      });
    },

    async getEnforcement(ctx: RequestContext): Promise<SsoEnforcementDto> {
      requireSsoManager(ctx);
      const organization = await db.withTenant(ctx, (tx) => repo.findOrganization(tx, ctx.organizationId));
      if (!organization) throw notFound("Organization", ctx.organizationId);
      return { enforced: organization.enforceSso };
    },

    /**
     * Turns "members of verified domains must sign in with SSO" on or off. Turning it on needs an
     * enabled connection and a verified domain, or nobody could sign in.
     */
    async setEnforced(ctx: RequestContext, enforced: boolean): Promise<SsoEnforcementDto> {
      requireSsoManager(ctx);
      return db.withTenant(ctx, async (tx) => {
        const organization = await repo.findOrganization(tx, ctx.organizationId);
        if (!organization) throw notFound("Organization", ctx.organizationId);
        if (organization.enforceSso === enforced) return { enforced };
        if (enforced) await checkEnforceable(tx);
        await repo.setEnforceSso(tx, ctx.organizationId, enforced);
        await recordAudit(tx, ctx.organizationId, {
          action: enforced ? "organization.sso_enforced" : "organization.sso_unenforced",
          ...auditBy(ctx),
          target: { type: "organization", id: ctx.organizationId },
        });
        return { enforced };
      });
    },
  };
}

async function checkEnforceable(tx: Tx): Promise<void> {
  const missing: string[] = [];
  if ((await repo.countEnabledConnections(tx)) === 0) missing.push("an enabled SSO connection");
  if ((await repo.countVerifiedDomains(tx)) === 0) missing.push("a verified domain");
  if (missing.length === 0) return;
  throw new AppError("conflict", `SSO cannot be enforced yet: add ${missing.join(" and ")} first`, {
    report: false,
    details: { missing: missing.map((m) => (m.includes("domain") ? "verified_domain" : "enabled_connection")) },
  });
}

export function txtRecordOf(row: Pick<DomainRow, "domain" | "verificationToken">): { name: string; value: string } {
  return { name: `${DOMAIN_VERIFICATION_PREFIX}.${row.domain}`, value: `${TOKEN_PREFIX}${row.verificationToken}` };
}

const NO_RECORD_CODES = new Set(["ENOTFOUND", "ENODATA", "NXDOMAIN"]);

/** TXT values at `name` (each record's chunks joined, as RFC 7208 §3.3 reads them), or why they could not be read. */
async function lookUpTxt(options: SsoServiceOptions, name: string): Promise<{ values: string[] } | { error: string }> {
  try {
    const records = await options.resolveTxt(name);
    return { values: records.map((chunks) => chunks.join("")) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code && NO_RECORD_CODES.has(code)) return { values: [] };
    options.logger.warn({ name, code: code ?? "unknown" }, "TXT lookup failed");
    return {
      error: `Could not look up the TXT record at ${name} (${code ?? "lookup failed"}). Try again in a minute.`,
    };
  }
}

function mismatchMessage(record: { name: string; value: string }, found: string[]): string {
  if (found.length === 0) {
    return `No TXT record found at ${record.name}. Publish "${record.value}" there; DNS changes can take a few minutes to appear.`;
  }
  const shown = found
    .slice(0, 5)
    .map((v) => `"${v.slice(0, 120)}"`)
    .join(", ");
  return `The TXT record at ${record.name} does not match. Found ${shown}; expected "${record.value}".`;
}

export function toDomainDto(row: DomainRow): SsoDomainDto {
  return {
    id: row.id,
    domain: row.domain,
    status: row.verifiedAt ? "verified" : "pending",
    verifiedAt: row.verifiedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    txtRecord: txtRecordOf(row),
  };
}
