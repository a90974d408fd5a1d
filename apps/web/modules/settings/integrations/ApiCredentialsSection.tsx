"use client";

import { Button } from "@devflow/web-ui";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { orgRequest } from "../../common/org-request";
import provisioning from "../provisioning/provisioning.module.css";
import styles from "./integrations.module.css";

type Kind = "github-token" | "jira" | "linear";

interface Field {
  name: string;
  label: string;
  placeholder: string;
  secret?: boolean;
}

const FORMS: Record<Kind, { title: string; lead: string; fields: Field[]; submit: string }> = {
  "github-token": {
    title: "GitHub token",
    lead: "A token DevFlow acts with on GitHub: pull request comments, check runs, issues (repository contents and pull requests: read; issues and pull requests: write).",
    fields: [
      { name: "token", label: "GitHub token", placeholder: "github_pat_… or ghp_…", secret: true },
      {
        name: "apiUrl",
        label: "GitHub Enterprise API URL (optional)",
        placeholder: "https://github.example.com/api/v3",
      },
    ],
    submit: "Connect GitHub token",
  },
  jira: {
    title: "Jira",
    lead: "File issues in Jira Cloud from a passage of a doc, as the account this API token belongs to.",
    fields: [
      { name: "host", label: "Jira site", placeholder: "https://acme.atlassian.net" },
      { name: "email", label: "Account email", placeholder: "bot@acme.com" },
      { name: "apiToken", label: "Jira API token", placeholder: "API token", secret: true },
    ],
    submit: "Connect Jira",
  },
  linear: {
    title: "Linear",
    lead: "File issues in Linear from a passage of a doc, with a personal API key.",
    fields: [{ name: "apiKey", label: "Linear API key", placeholder: "lin_api_…", secret: true }],
    submit: "Connect Linear",
  },
};

/**
 * Forms for the credentials DevFlow acts with (a GitHub token, Jira, Linear). What is typed is sent
 * once, stored sealed, and never shown again; the list above shows what is connected.
 */
export function ApiCredentialsSection({ organizationId }: { organizationId: string }) {
  return (
    <>
      {(Object.keys(FORMS) as Kind[]).map((kind) => (
        <CredentialForm key={kind} kind={kind} organizationId={organizationId} />
      ))}
    </>
  );
}

function CredentialForm({ kind, organizationId }: { kind: Kind; organizationId: string }) {
  const form = FORMS[kind];
  const router = useRouter();
  const [values, setValues] = useState<Record<string, string>>({});
  const [isSaving, setIsSaving] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const required = form.fields.filter((f) => !f.label.endsWith("(optional)"));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setIsSaving(true);
    setMessage(null);
    const body = Object.fromEntries(Object.entries(values).flatMap(([k, v]) => (v.trim() ? [[k, v.trim()]] : [])));
    const result = await orgRequest(organizationId, "POST", `/api/v1/integrations/${kind}`, {
      body,
      fallback: `Could not connect ${form.title}`,
    });
    setIsSaving(false);
    if (!result.ok) {
      setMessage({ ok: false, text: result.message });
      return;
    }
    setValues({});
    setMessage({ ok: true, text: `${form.title} is connected.` });
    router.refresh();
  }

  return (
    <section className={provisioning.section} aria-labelledby={`${kind}-heading`}>
      <div>
        <h2 className={provisioning.sectionTitle} id={`${kind}-heading`}>
          {form.title}
        </h2>
        <p className={provisioning.sectionLead}>{form.lead}</p>
      </div>
      <form className={styles.credentialForm} onSubmit={submit} data-testid={`connect-${kind}-form`}>
        {form.fields.map((field) => (
          <input
            key={field.name}
            className={provisioning.value}
            value={values[field.name] ?? ""}
            onChange={(event) => setValues((v) => ({ ...v, [field.name]: event.target.value }))}
            aria-label={field.label}
            placeholder={field.placeholder}
            type={field.secret ? "password" : "text"}
            spellCheck={false}
            autoComplete="off"
          />
        ))}
        <Button type="submit" isLoading={isSaving} disabled={required.some((f) => !(values[f.name] ?? "").trim())}>
          {form.submit}
        </Button>
      </form>
      {message && (
        <p className={message.ok ? styles.formOk : styles.formError} role={message.ok ? "status" : "alert"}>
          {message.text}
        </p>
      )}
    </section>
  );
}
