import { z } from "zod";
import { MemberRoleSchema } from "./organizations";

export const SSO_CONNECTION_NAME_MAX = 80;
export const SSO_CONNECTIONS_MAX = 10;
export const SSO_GROUP_ROLE_MAP_MAX = 50;
export const SSO_GROUP_NAME_MAX = 256;
export const SSO_DOMAINS_MAX = 50;
export const SAML_METADATA_XML_MAX = 200_000;
export const OIDC_DEFAULT_SCOPES = "openid email profile";
export const OIDC_DEFAULT_GROUPS_CLAIM = "groups";
/** The DNS name an organization publishes its domain-verification TXT record under. */
export const DOMAIN_VERIFICATION_PREFIX = "_devflow-verification";

export const SsoProtocolSchema = z.enum(["oidc", "saml"]);
export type SsoProtocol = z.infer<typeof SsoProtocolSchema>;

/** Roles an SSO connection may grant. Ownership is only ever handed over by an owner, never by an IdP. */
export const SsoRoleSchema = MemberRoleSchema.exclude(["owner"], { message: "SSO cannot grant the owner role" });
export type SsoRole = z.infer<typeof SsoRoleSchema>;

export const GroupRoleMapSchema = z
  .record(z.string().trim().min(1).max(SSO_GROUP_NAME_MAX), SsoRoleSchema)
  .refine((map) => Object.keys(map).length <= SSO_GROUP_ROLE_MAP_MAX, {
    message: `At most ${SSO_GROUP_ROLE_MAP_MAX} group mappings`,
  });
export type GroupRoleMap = z.infer<typeof GroupRoleMapSchema>;

function isLocalhost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "127.0.0.1" || hostname === "[::1]";
}

/**
 * The IdP's issuer: https, or http on localhost for a development IdP. Whether plain http is
 * allowed at all is the server's call (refused in production).
 */
export const OidcIssuerSchema = z
  .url({ protocol: /^https?$/, message: "Issuer must be an https URL" })
  .max(2_000)
  .refine(
    (value) => {
      const url = new URL(value);
      return url.protocol === "https:" || isLocalhost(url.hostname);
    },
    { message: "Issuer must be an https URL (http is allowed for localhost only)" },
  )
  .refine((value) => !new URL(value).search && !new URL(value).hash, {
    message: "Issuer must not have a query or fragment",
  });

const oidcFields = {
  issuer: OidcIssuerSchema,
  clientId: z.string().trim().min(1, "Client ID is required").max(500),
  /** Write-only: stored encrypted and never returned. */
  clientSecret: z.string().min(1, "Client secret is required").max(2_000),
  scopes: z
    .string()
    .trim()
    .max(500)
    .regex(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/, "Scopes are space-separated")
    .refine((v) => v.split(" ").includes("openid"), "Scopes must include openid")
    .default(OIDC_DEFAULT_SCOPES),
  groupsClaim: z.string().trim().min(1).max(200).default(OIDC_DEFAULT_GROUPS_CLAIM),
};

export const OidcConfigInputSchema = z.object(oidcFields);
export type OidcConfigInput = z.infer<typeof OidcConfigInputSchema>;

/** On update the client secret may be left out to keep the stored one. */
export const OidcConfigUpdateSchema = z.object({ ...oidcFields, clientSecret: oidcFields.clientSecret.optional() });
export type OidcConfigUpdate = z.infer<typeof OidcConfigUpdateSchema>;

export const SamlConfigInputSchema = z
  .object({
    entityId: z.string().trim().min(1, "Entity ID is required").max(1_000),
    metadataUrl: z
      .url({ protocol: /^https$/, message: "Metadata URL must be https" })
      .max(2_000)
      .optional(),
    metadataXml: z
      .string()
      .trim()
      .max(SAML_METADATA_XML_MAX)
      .refine((v) => v.includes("EntityDescriptor"), "Metadata XML must contain an EntityDescriptor")
      .optional(),
  })
  .refine((v) => Boolean(v.metadataUrl) !== Boolean(v.metadataXml), {
    message: "Give either the metadata URL or the metadata XML",
    path: ["metadataUrl"],
  });
export type SamlConfigInput = z.infer<typeof SamlConfigInputSchema>;

const connectionFields = {
  name: z.string().trim().min(1, "Name is required").max(SSO_CONNECTION_NAME_MAX),
  defaultRole: SsoRoleSchema.default("member"),
  groupRoleMap: GroupRoleMapSchema.default({}),
  enabled: z.boolean().default(true),
};

export const CreateSsoConnectionInputSchema = z.discriminatedUnion("protocol", [
  z.object({ protocol: z.literal("oidc"), ...connectionFields, config: OidcConfigInputSchema }),
  z.object({ protocol: z.literal("saml"), ...connectionFields, config: SamlConfigInputSchema }),
]);
export type CreateSsoConnectionInput = z.infer<typeof CreateSsoConnectionInputSchema>;

const connectionUpdates = {
  name: connectionFields.name.optional(),
  defaultRole: SsoRoleSchema.optional(),
  groupRoleMap: GroupRoleMapSchema.optional(),
  enabled: z.boolean().optional(),
};

/** `protocol` names the connection's protocol (which cannot change) so `config` can be checked here. */
export const UpdateSsoConnectionInputSchema = z
  .discriminatedUnion("protocol", [
    z.object({ protocol: z.literal("oidc"), ...connectionUpdates, config: OidcConfigUpdateSchema.optional() }),
    z.object({ protocol: z.literal("saml"), ...connectionUpdates, config: SamlConfigInputSchema.optional() }),
  ])
  .refine((v) => Object.values(v).filter((field) => field !== undefined).length > 1, "Nothing to update");
export type UpdateSsoConnectionInput = z.infer<typeof UpdateSsoConnectionInputSchema>;

const connectionDtoFields = {
  id: z.uuid(),
  name: z.string(),
  defaultRole: SsoRoleSchema,
  groupRoleMap: z.record(z.string(), SsoRoleSchema),
  enabled: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
};

/** A connection as admins see it: never the client secret, only whether one is stored. */
export const SsoConnectionSchema = z.discriminatedUnion("protocol", [
  z.object({
    protocol: z.literal("oidc"),
    ...connectionDtoFields,
    config: z.object({ issuer: z.string(), clientId: z.string(), scopes: z.string(), groupsClaim: z.string() }),
    hasClientSecret: z.boolean(),
  }),
  z.object({
    protocol: z.literal("saml"),
    ...connectionDtoFields,
    config: z.object({
      entityId: z.string(),
      metadataUrl: z.string().optional(),
      metadataXml: z.string().optional(),
    }),
    hasClientSecret: z.boolean(),
  }),
]);
export type SsoConnectionDto = z.infer<typeof SsoConnectionSchema>;

export const AddSsoDomainInputSchema = z.object({
  domain: z.string().trim().min(1, "Domain is required").max(253),
});
export type AddSsoDomainInput = z.infer<typeof AddSsoDomainInputSchema>;

export const SsoDomainStatusSchema = z.enum(["pending", "verified"]);
export type SsoDomainStatus = z.infer<typeof SsoDomainStatusSchema>;

export const SsoDomainSchema = z.object({
  id: z.uuid(),
  domain: z.string(),
  status: SsoDomainStatusSchema,
  verifiedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  /** The TXT record to publish for verification. */
  txtRecord: z.object({ name: z.string(), value: z.string() }),
});
export type SsoDomainDto = z.infer<typeof SsoDomainSchema>;

export const VerifySsoDomainResultSchema = z.object({
  verified: z.boolean(),
  /** A sentence for the admin: what was looked up, and what was found instead when it failed. */
  message: z.string(),
  /** The TXT values found at the record's name (empty when there were none). */
  found: z.array(z.string()),
  domain: SsoDomainSchema,
});
export type VerifySsoDomainResult = z.infer<typeof VerifySsoDomainResultSchema>;

export const SetSsoEnforcementInputSchema = z.object({ enforced: z.boolean() });
export type SetSsoEnforcementInput = z.infer<typeof SetSsoEnforcementInputSchema>;

export const SsoEnforcementSchema = z.object({ enforced: z.boolean() });
export type SsoEnforcementDto = z.infer<typeof SsoEnforcementSchema>;
