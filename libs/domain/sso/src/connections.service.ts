import type { RequestContext } from "@devflow/auth";
import {
  SSO_CONNECTIONS_MAX,
  SsoRoleSchema,
  type CreateSsoConnectionInput,
  type SsoConnectionDto,
  type SsoRole,
  type UpdateSsoConnectionInput,
} from "@devflow/contracts";
import type { Database, Tx } from "@devflow/db";
import { recordAudit } from "@devflow/domain-audit";
import { AppError, newId, notFound, sealSecret } from "@devflow/util-core";
import { z } from "zod";
import * as repo from "./sso.repository";
import type { ConnectionRow } from "./sso.repository";
import { auditBy, requireSsoManager, secretContext, type SsoServiceOptions } from "./sso-options";

/** What is stored in `config` for each protocol; secrets never go there. */
export const StoredOidcConfigSchema = z.object({
  issuer: z.string(),
  clientId: z.string(),
  scopes: z.string(),
  groupsClaim: z.string(),
});
export const StoredSamlConfigSchema = z.object({
  entityId: z.string(),
  metadataUrl: z.string().optional(),
  metadataXml: z.string().optional(),
});
const StoredGroupRoleMapSchema = z.record(z.string(), SsoRoleSchema);

/** Admin operations on an organization's SSO connections. */
export function createConnectionsService(db: Database, options: SsoServiceOptions) {
  function checkIssuer(issuer: string): void {
    if (options.allowLocalhostIssuer || new URL(issuer).protocol === "https:") return;
    throw new AppError("validation_failed", "The issuer must be an https URL", {
      report: false,
      details: { issues: [{ path: "config.issuer", message: "Issuer must be an https URL", code: "custom" }] },
    });
  }

  async function loadConnection(tx: Tx, id: string): Promise<ConnectionRow> {
    const row = await repo.findConnection(tx, id);
    if (!row) throw notFound("SSO connection", id);
    return row;
  }

  return {
    async listConnections(ctx: RequestContext): Promise<SsoConnectionDto[]> {
      requireSsoManager(ctx);
      const rows = await db.withTenant(ctx, (tx) => repo.listConnections(tx));
      return rows.map(toConnectionDto);
    },

    async createConnection(ctx: RequestContext, input: CreateSsoConnectionInput): Promise<SsoConnectionDto> {
      requireSsoManager(ctx);
      if (input.protocol === "oidc") checkIssuer(input.config.issuer);
      return db.withTenant(ctx, async (tx) => {
        if ((await repo.countConnections(tx)) >= SSO_CONNECTIONS_MAX) {
          throw new AppError(
            "conflict",
            `An organization can have at most ${SSO_CONNECTIONS_MAX} SSO connections; delete one first`,
            { report: false },
          );
        }
        const id = newId();
        const { config, clientSecret } = splitSecret(input);
        const row = await repo.insertConnection(tx, {
          id,
          organizationId: ctx.organizationId,
          protocol: input.protocol,
          name: input.name,
          config,
          encryptedSecret: clientSecret ? sealSecret(options.encryptionKey, clientSecret, secretContext(id)) : null,
          defaultRole: input.defaultRole,
          groupRoleMap: input.groupRoleMap,
          enabled: input.enabled,
        });
        await recordAudit(tx, ctx.organizationId, {
          action: "sso.connection_created",
          ...auditBy(ctx),
          target: { type: "sso_connection", id },
          metadata: { name: input.name, protocol: input.protocol, enabled: input.enabled },
        });
        return toConnectionDto(row);
      });
    },

    async updateConnection(
      ctx: RequestContext,
      id: string,
      input: UpdateSsoConnectionInput,
    ): Promise<SsoConnectionDto> {
      requireSsoManager(ctx);
      if (input.protocol === "oidc" && input.config) checkIssuer(input.config.issuer);
      return db.withTenant(ctx, async (tx) => {
        const current = await loadConnection(tx, id);
        if (current.protocol !== input.protocol) {
          throw new AppError(
            "validation_failed",
            `SSO connection ${id} is ${current.protocol}, not ${input.protocol}`,
            {
              report: false,
            },
          );
        }
        if (input.enabled === false && current.enabled) await refuseIfLastForEnforcement(tx, ctx, id, "disable");
        const secret = input.config ? splitSecret(input as { protocol: typeof input.protocol; config: object }) : null;
        const row = await repo.updateConnection(tx, id, {
          ...(input.name !== undefined && { name: input.name }),
          ...(input.defaultRole !== undefined && { defaultRole: input.defaultRole }),
          ...(input.groupRoleMap !== undefined && { groupRoleMap: input.groupRoleMap }),
          ...(input.enabled !== undefined && { enabled: input.enabled }),
          ...(secret && { config: secret.config }),
          ...(secret?.clientSecret && {
            encryptedSecret: sealSecret(options.encryptionKey, secret.clientSecret, secretContext(id)),
          }),
        });
        await recordAudit(tx, ctx.organizationId, {
          action: "sso.connection_updated",
          ...auditBy(ctx),
          target: { type: "sso_connection", id },
          metadata: {
            name: row.name,
            changed: Object.keys(input).filter((key) => key !== "protocol"),
            ...(input.enabled !== undefined && { enabled: input.enabled }),
            ...(secret?.clientSecret && { clientSecretReplaced: true }),
          },
        });
        return toConnectionDto(row);
      });
    },

    async deleteConnection(ctx: RequestContext, id: string): Promise<void> {
      requireSsoManager(ctx);
      await db.withTenant(ctx, async (tx) => {
        const current = await loadConnection(tx, id);
        if (current.enabled) await refuseIfLastForEnforcement(tx, ctx, id, "delete");
        await repo.deleteConnection(tx, id);
        await recordAudit(tx, ctx.organizationId, {
          action: "sso.connection_deleted",
          ...auditBy(ctx),
          target: { type: "sso_connection", id },
          metadata: { name: current.name, protocol: current.protocol },
        });
      });
    },
  };
}

/** With SSO enforced, the last enabled connection is what everyone signs in with: keep it. */
async function refuseIfLastForEnforcement(tx: Tx, ctx: RequestContext, id: string, verb: string): Promise<void> {
  const organization = await repo.findOrganization(tx, ctx.organizationId);
  if (!organization?.enforceSso) return;
  if ((await repo.countEnabledConnections(tx, id)) > 0) return;
  throw new AppError(
    "conflict",
    `Cannot ${verb} the last enabled SSO connection while SSO is enforced: nobody could sign in. Turn enforcement off first.`,
    { report: false },
  );
}

function splitSecret(input: { protocol: "oidc" | "saml"; config: object }): {
  config: Record<string, string>;
  clientSecret: string | undefined;
} {
  if (input.protocol === "oidc") {
    const { clientSecret, ...config } = input.config as { clientSecret?: string } & Record<string, string>;
    return { config: StoredOidcConfigSchema.parse(config), clientSecret };
  }
  const saml = StoredSamlConfigSchema.parse(input.config);
  return {
    config: Object.fromEntries(Object.entries(saml).filter(([, v]) => v !== undefined)) as Record<string, string>,
    clientSecret: undefined,
  };
}

export function toConnectionDto(row: ConnectionRow): SsoConnectionDto {
  const common = {
    id: row.id,
    name: row.name,
    defaultRole: storedRole(row.defaultRole),
    groupRoleMap: StoredGroupRoleMapSchema.catch({}).parse(row.groupRoleMap),
    enabled: row.enabled,
    hasClientSecret: row.encryptedSecret !== null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
  if (row.protocol === "oidc") {
    return { ...common, protocol: "oidc", config: StoredOidcConfigSchema.parse(row.config) };
  }
  return { ...common, protocol: "saml", config: StoredSamlConfigSchema.parse(row.config) };
}

/** A stored default role, never owner (the contracts refuse it; this guards rows written by hand). */
export function storedRole(role: string): SsoRole {
  const parsed = SsoRoleSchema.safeParse(role);
  return parsed.success ? parsed.data : "member";
}

export function storedGroupRoleMap(value: unknown): Record<string, SsoRole> {
  return StoredGroupRoleMapSchema.catch({}).parse(value);
}
