"use client";

import {
  NOTIFICATION_TYPE_LABELS,
  type MyOrganizationDto,
  type NotificationChannels,
  type NotificationPreferenceDto,
} from "@devflow/contracts";
import { errorMessage } from "@devflow/web-data-access";
import { Alert, Button } from "@devflow/web-ui";
import { useState } from "react";
import { useUpdateNotificationPreferencesMutation } from "./notifications.api";
import styles from "./notifications.module.css";

export interface NotificationPreferencesViewProps {
  organization: MyOrganizationDto;
  /** Every type with the person's channels, loaded by the page on the server. */
  preferences: NotificationPreferenceDto[];
}

const CHANNELS: { key: keyof NotificationChannels; label: string }[] = [
  { key: "inApp", label: "In app" },
  { key: "email", label: "Email" },
  { key: "slack", label: "Slack" },
];

/** Which notifications reach the person, and where: one row per kind, one checkbox per channel. */
export function NotificationPreferencesView({ organization, preferences }: NotificationPreferencesViewProps) {
  const [draft, setDraft] = useState(preferences);
  const [saved, setSaved] = useState(preferences);
  const [update, { isLoading, error }] = useUpdateNotificationPreferencesMutation();
  const [notice, setNotice] = useState<string | null>(null);
  const isDirty = JSON.stringify(draft) !== JSON.stringify(saved);

  function toggle(type: NotificationPreferenceDto["type"], channel: keyof NotificationChannels) {
    setNotice(null);
    setDraft((items) => items.map((item) => (item.type === type ? { ...item, [channel]: !item[channel] } : item)));
  }

  async function save() {
    setNotice(null);
    const result = await update({ organizationId: organization.id, input: { items: draft } });
    if ("data" in result && result.data) {
      setDraft(result.data.items);
      setSaved(result.data.items);
      setNotice("Saved.");
    }
  }

  return (
    <div className="page">
      <header className="page-header">
        <div className="page-header__text">
          <h1 className="page-title">Notifications</h1>
          <p className="page-subtitle">
            Choose how you hear about activity in {organization.name}. These settings are yours alone and apply to this
            organization only.
          </p>
        </div>
      </header>

      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <div className="panel">
          <table className={styles.table} data-testid="notification-preferences">
            <caption className="ui-visually-hidden">Notification channels by kind of notification</caption>
            <thead>
              <tr>
                <th scope="col">Notify me about</th>
                {CHANNELS.map((channel) => (
                  <th key={channel.key} scope="col" className={styles.channel}>
                    {channel.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {draft.map((item) => {
                const { label, description } = NOTIFICATION_TYPE_LABELS[item.type];
                return (
                  <tr key={item.type} data-testid="notification-preference" data-type={item.type}>
                    <th scope="row">
                      <span className={styles.typeLabel}>{label}</span>
                      <span className={styles.typeDescription}>{description}</span>
                    </th>
                    {CHANNELS.map((channel) => (
                      <td key={channel.key} className={styles.channel}>
                        <input
                          type="checkbox"
                          checked={item[channel.key]}
                          aria-label={`${label}: ${channel.label}`}
                          data-testid={`preference-${item.type}-${channel.key}`}
                          onChange={() => toggle(item.type, channel.key)}
                        />
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {error ? <Alert>{errorMessage(error, "Could not save your notification settings.")}</Alert> : null}
        <div className={styles.formActions}>
          <Button
            type="submit"
            variant="primary"
            disabled={!isDirty}
            isLoading={isLoading}
            data-testid="save-notification-preferences"
          >
            Save
          </Button>
          <span className={styles.note} role="status">
            {notice}
          </span>
        </div>
        <p className={styles.note}>
          Slack messages arrive as direct messages from {organization.name}&apos;s Slack app, sent to the Slack account
          with your email address. They need the app connected with a bot token (an admin does that under Integrations);
          until then, and if Slack has no account with your address, nothing is sent to Slack.
        </p>
      </form>
    </div>
  );
}
