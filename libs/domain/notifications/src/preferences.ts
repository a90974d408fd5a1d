import {
  NOTIFICATION_CHANNEL_DEFAULTS,
  NOTIFICATION_TYPES,
  type NotificationChannels,
  type NotificationPreferenceDto,
} from "@devflow/contracts";

/** A stored preference row, as the repository reads it. */
export interface StoredPreference {
  eventType: string;
  inApp: boolean;
  email: boolean;
  slack: boolean;
}

/**
 * One person's channels for every type, in `NOTIFICATION_TYPES` order: what they stored, the
 * defaults (bell and email on, Slack off) where they stored nothing. Rows of types no longer in the
 * catalog are ignored.
 */
export function withDefaults(stored: readonly StoredPreference[]): NotificationPreferenceDto[] {
  const byType = new Map(stored.map((row) => [row.eventType, row]));
  return NOTIFICATION_TYPES.map((type) => ({ type, ...channelsOf(byType.get(type)) }));
}

/** The channels for one type given what was stored for it (or nothing). */
export function channelsOf(stored: StoredPreference | undefined): NotificationChannels {
  if (!stored) return { ...NOTIFICATION_CHANNEL_DEFAULTS };
  return { inApp: stored.inApp, email: stored.email, slack: stored.slack };
}

/** Whether a type reaches the person at all through the channels DevFlow delivers today. */
export function isDelivered(channels: NotificationChannels): boolean {
  return channels.inApp || channels.email;
}
