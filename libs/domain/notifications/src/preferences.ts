import {
  NOTIFICATION_CHANNEL_DEFAULTS,
  NOTIFICATION_TYPES,
  type NotificationChannels,
  type NotificationPreferenceDto,
  type NotificationType,
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
  return NOTIFICATION_TYPES.map((type) => ({ type, ...channelsFor(stored, type) }));
}

/**
 * The names a type was stored under before it was renamed. `project.shared` was on the
 * preferences page as `document.shared` before anything sent it: a choice saved under the old
 * name still applies until the person saves one under the new name (which then wins).
 */
const PREVIOUS_NAMES: Partial<Record<NotificationType, readonly string[]>> = {
  "project.shared": ["document.shared"],
};

/** The stored names to read for `types`: each type's own and any it had before. */
export function storedNamesOf(types: readonly NotificationType[]): string[] {
  return [...new Set(types.flatMap((type) => [type, ...(PREVIOUS_NAMES[type] ?? [])]))];
}

/** One person's channels for `type`, given the rows they stored (any types, under any name). */
export function channelsFor(stored: readonly StoredPreference[], type: NotificationType): NotificationChannels {
  const byName = new Map(stored.map((row) => [row.eventType, row]));
  const names = [type, ...(PREVIOUS_NAMES[type] ?? [])];
  return channelsOf(names.map((name) => byName.get(name)).find((row) => row !== undefined));
}

/** The channels for one type given what was stored for it (or nothing). */
export function channelsOf(stored: StoredPreference | undefined): NotificationChannels {
  if (!stored) return { ...NOTIFICATION_CHANNEL_DEFAULTS };
  return { inApp: stored.inApp, email: stored.email, slack: stored.slack };
}

/**
 * Whether a type reaches the person at all: through the bell, email or Slack (a Slack-only choice
 * still counts when the organization has no Slack app; delivery then skips it).
 */
export function isDelivered(channels: NotificationChannels): boolean {
  return channels.inApp || channels.email || channels.slack;
}
