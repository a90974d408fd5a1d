"use client";

import {
  OIDC_DEFAULT_GROUPS_CLAIM,
  OIDC_DEFAULT_SCOPES,
  SSO_CONNECTION_NAME_MAX,
  SSO_GROUP_ROLE_MAP_MAX,
  type SsoConnectionDto,
  type SsoProtocol,
  type SsoRole,
} from "@devflow/contracts";
import {
  errorMessage,
  fieldIssues,
  useCreateSsoConnectionMutation,
  useUpdateSsoConnectionMutation,
} from "@devflow/web-data-access";
import { Alert, Button, Dialog, SelectField, TextAreaField, TextField } from "@devflow/web-ui";
import { useState, type FormEvent } from "react";
import { SamlServiceProviderDetails } from "./SamlServiceProviderDetails";
import styles from "./sso.module.css";

const ROLE_OPTIONS = [
  { value: "viewer", label: "Viewer" },
  { value: "member", label: "Member" },
  { value: "admin", label: "Admin" },
] as const;
const SSO_ROLES: ReadonlySet<string> = new Set(ROLE_OPTIONS.map((o) => o.value));

export interface ConnectionDialogProps {
  organizationId: string;
  /** The connection to edit; absent to add one. */
  connection?: SsoConnectionDto | undefined;
  isOpen: boolean;
  onClose: () => void;
}

export function ConnectionDialog({ organizationId, connection, isOpen, onClose }: ConnectionDialogProps) {
  return (
    <Dialog
      isOpen={isOpen}
      title={connection ? `Edit ${connection.name}` : "Add SSO connection"}
      description="People with an email on one of your verified domains sign in through this identity provider."
      onClose={onClose}
      testId="sso-connection-dialog"
    >
      <ConnectionForm organizationId={organizationId} connection={connection} onDone={onClose} />
    </Dialog>
  );
}

function ConnectionForm({
  organizationId,
  connection,
  onDone,
}: {
  organizationId: string;
  connection?: SsoConnectionDto | undefined;
  onDone: () => void;
}) {
  const oidc = connection?.protocol === "oidc" ? connection.config : undefined;
  const saml = connection?.protocol === "saml" ? connection.config : undefined;
  const [protocol, setProtocol] = useState<SsoProtocol>(connection?.protocol ?? "oidc");
  const [name, setName] = useState(connection?.name ?? "");
  const [issuer, setIssuer] = useState(oidc?.issuer ?? "");
  const [clientId, setClientId] = useState(oidc?.clientId ?? "");
  const [clientSecret, setClientSecret] = useState("");
  const [scopes, setScopes] = useState(oidc?.scopes ?? OIDC_DEFAULT_SCOPES);
  const [groupsClaim, setGroupsClaim] = useState(oidc?.groupsClaim ?? OIDC_DEFAULT_GROUPS_CLAIM);
  const [entityId, setEntityId] = useState(saml?.entityId ?? "");
  const [metadataSource, setMetadataSource] = useState<"url" | "xml">(saml?.metadataXml ? "xml" : "url");
  const [metadataUrl, setMetadataUrl] = useState(saml?.metadataUrl ?? "");
  const [metadataXml, setMetadataXml] = useState(saml?.metadataXml ?? "");
  const [defaultRole, setDefaultRole] = useState<SsoRole>(connection?.defaultRole ?? "member");
  const [mappings, setMappings] = useState(formatMappings(connection?.groupRoleMap ?? {}));
  const [mappingError, setMappingError] = useState<string | undefined>();

  const [create, createState] = useCreateSsoConnectionMutation();
  const [update, updateState] = useUpdateSsoConnectionMutation();
  const { isLoading, error } = connection ? updateState : createState;
  const issues = fieldIssues(error);
  const issueFor = (...paths: string[]) => issues.find((i) => paths.includes(i.path))?.message;
  const isEditing = connection !== undefined;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseMappings(mappings);
    if (typeof parsed === "string") {
      setMappingError(parsed);
      return;
    }
    setMappingError(undefined);
    const common = { name: name.trim(), defaultRole, groupRoleMap: parsed };
    const samlConfig = {
      entityId: entityId.trim(),
      ...(metadataSource === "url" ? { metadataUrl: metadataUrl.trim() } : { metadataXml: metadataXml.trim() }),
    };
    const oidcConfig = {
      issuer: issuer.trim(),
      clientId: clientId.trim(),
      scopes: scopes.trim(),
      groupsClaim: groupsClaim.trim(),
    };
    const result = connection
      ? await update({
          organizationId,
          connectionId: connection.id,
          input:
            protocol === "oidc"
              ? { protocol, ...common, config: { ...oidcConfig, ...(clientSecret && { clientSecret }) } }
              : { protocol, ...common, config: samlConfig },
        })
      : await create({
          organizationId,
          input:
            protocol === "oidc"
              ? { protocol, ...common, enabled: true, config: { ...oidcConfig, clientSecret } }
              : { protocol, ...common, enabled: true, config: samlConfig },
        });
    if (result.data) onDone();
  }

  return (
    <form className="form-stack" onSubmit={submit} noValidate data-testid="sso-connection-form">
      <div className="form-row">
        <SelectField
          label="Protocol"
          name="protocol"
          value={protocol}
          disabled={isEditing}
          hint={isEditing ? "A connection's protocol cannot change" : undefined}
          options={[
            { value: "oidc", label: "OpenID Connect" },
            { value: "saml", label: "SAML 2.0" },
          ]}
          onChange={(event) => setProtocol(event.target.value as SsoProtocol)}
        />
        <TextField
          label="Name"
          name="name"
          placeholder="Okta"
          value={name}
          maxLength={SSO_CONNECTION_NAME_MAX}
          autoFocus
          required
          error={issueFor("name")}
          onChange={(event) => setName(event.target.value)}
        />
      </div>

      {protocol === "oidc" ? (
        <>
          <TextField
            label="Issuer URL"
            name="issuer"
            type="url"
            placeholder="https://your-company.okta.com"
            value={issuer}
            required
            hint="The IdP's issuer; its discovery document is read from /.well-known/openid-configuration"
            error={issueFor("config.issuer")}
            onChange={(event) => setIssuer(event.target.value)}
          />
          <div className="form-row">
            <TextField
              label="Client ID"
              name="clientId"
              value={clientId}
              required
              autoComplete="off"
              error={issueFor("config.clientId")}
              onChange={(event) => setClientId(event.target.value)}
            />
            <TextField
              label="Client secret"
              name="clientSecret"
              type="password"
              value={clientSecret}
              required={!isEditing}
              autoComplete="new-password"
              hint={
                isEditing && connection?.hasClientSecret
                  ? "Stored encrypted and never shown. Leave empty to keep it."
                  : "Stored encrypted and never shown again."
              }
              error={issueFor("config.clientSecret")}
              onChange={(event) => setClientSecret(event.target.value)}
            />
          </div>
          <div className="form-row">
            <TextField
              label="Scopes"
              name="scopes"
              value={scopes}
              error={issueFor("config.scopes")}
              onChange={(event) => setScopes(event.target.value)}
            />
            <TextField
              label="Groups claim"
              name="groupsClaim"
              value={groupsClaim}
              hint="The ID token claim that lists the person's groups"
              error={issueFor("config.groupsClaim")}
              onChange={(event) => setGroupsClaim(event.target.value)}
            />
          </div>
        </>
      ) : (
        <>
          <SamlServiceProviderDetails />
          <TextField
            label="IdP entity ID"
            name="entityId"
            value={entityId}
            required
            error={issueFor("config.entityId")}
            onChange={(event) => setEntityId(event.target.value)}
          />
          <SelectField
            label="Metadata"
            name="metadataSource"
            value={metadataSource}
            options={[
              { value: "url", label: "From a URL" },
              { value: "xml", label: "Pasted XML" },
            ]}
            onChange={(event) => setMetadataSource(event.target.value as "url" | "xml")}
          />
          {metadataSource === "url" ? (
            <TextField
              label="Metadata URL"
              name="metadataUrl"
              type="url"
              placeholder="https://idp.example.com/metadata.xml"
              value={metadataUrl}
              error={issueFor("config.metadataUrl")}
              onChange={(event) => setMetadataUrl(event.target.value)}
            />
          ) : (
            <TextAreaField
              label="Metadata XML"
              name="metadataXml"
              rows={6}
              value={metadataXml}
              error={issueFor("config.metadataXml", "config.metadataUrl")}
              onChange={(event) => setMetadataXml(event.target.value)}
            />
          )}
        </>
      )}

      <SelectField
        label="Default role"
        name="defaultRole"
        value={defaultRole}
        options={ROLE_OPTIONS}
        hint="Given to new members whose groups map to no role"
        error={issueFor("defaultRole")}
        onChange={(event) => setDefaultRole(event.target.value as SsoRole)}
      />
      <TextAreaField
        label="Group role mappings"
        name="groupRoleMap"
        rows={4}
        placeholder={"eng-admins = admin\nengineering = member"}
        value={mappings}
        hint={`One "group = role" per line (viewer, member or admin; up to ${SSO_GROUP_ROLE_MAP_MAX}). The highest role among a person's groups applies at each sign-in; owners are never changed.`}
        error={mappingError ?? issueFor("groupRoleMap")}
        onChange={(event) => setMappings(event.target.value)}
      />

      {error !== undefined && issues.length === 0 && <Alert>{errorMessage(error)}</Alert>}
      {issues.length > 0 && <p className={styles.note}>{errorMessage(error)}</p>}
      <div className="ui-dialog__footer">
        <Button onClick={onDone} disabled={isLoading}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" isLoading={isLoading} disabled={name.trim() === ""}>
          {isEditing ? "Save changes" : "Add connection"}
        </Button>
      </div>
    </form>
  );
}

function formatMappings(map: Record<string, SsoRole>): string {
  return Object.entries(map)
    .map(([group, role]) => `${group} = ${role}`)
    .join("\n");
}

/** The map from the textarea, or a sentence saying which line is wrong. */
function parseMappings(text: string): Record<string, SsoRole> | string {
  const map: Record<string, SsoRole> = {};
  const lines = text.split("\n");
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const at = line.lastIndexOf("=");
    const group = at > 0 ? line.slice(0, at).trim() : "";
    const role =
      at > 0
        ? line
            .slice(at + 1)
            .trim()
            .toLowerCase()
        : "";
    if (!group || !SSO_ROLES.has(role)) {
      return `Line ${index + 1}: write "group = role" with viewer, member or admin`;
    }
    map[group] = role as SsoRole;
  }
  if (Object.keys(map).length > SSO_GROUP_ROLE_MAP_MAX) return `At most ${SSO_GROUP_ROLE_MAP_MAX} group mappings`;
  return map;
}
