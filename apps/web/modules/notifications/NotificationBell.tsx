"use client";

import type { NotificationDto } from "@devflow/contracts";
import { errorMessage } from "@devflow/web-data-access";
import { Spinner } from "@devflow/web-ui";
import Link from "next/link";
import { useRouter } from "next/navigation";
import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type MouseEvent,
} from "react";
import { createPortal } from "react-dom";
import { formatDateTime, timeAgo } from "../common/format";
import { useListNotificationsInfiniteQuery, useMarkNotificationsReadMutation } from "./notifications.api";
import styles from "./notifications.module.css";
import { useLiveNotifications } from "./use-live-notifications";

/** How often the bell asks for its count while the live feed is down. */
const POLL_MS = 30_000;
/** The panel's width and its distance from the bell and the window's edges, in px. */
const PANEL_WIDTH = 360;
const PANEL_GAP = 6;
const VIEWPORT_MARGIN = 16;

export interface NotificationBellProps {
  organizationId: string;
  orgSlug: string;
  /** Where the collab service is (`COLLAB_PUBLIC_URL`), for live pushes; without it the bell polls. */
  collabUrl?: string | undefined;
}

/**
 * The bell: the unread count on a button that opens the latest notifications (a disclosure, not a
 * menu: the panel holds links and buttons, reached with Tab or the arrow keys; Escape closes it and
 * returns to the bell). Opening one marks it read and goes where it points. The panel is rendered
 * into the body, placed under the bell: the sidebar is its own stacking context, which the page
 * beside it paints over.
 */
export function NotificationBell({ organizationId, orgSlug, collabUrl }: NotificationBellProps) {
  const router = useRouter();
  // Pushes missed while the feed was down are caught up by refetching once it is back.
  const refetchRef = useRef<() => void>(() => {});
  const isLive = useLiveNotifications(organizationId, collabUrl, () => refetchRef.current());
  const list = useListNotificationsInfiniteQuery(
    { organizationId },
    { pollingInterval: isLive ? 0 : POLL_MS, skipPollingIfUnfocused: true },
  );
  useEffect(() => {
    refetchRef.current = () => void list.refetch();
  }, [list.refetch]);
  const [markRead] = useMarkNotificationsReadMutation();
  const [isOpen, setIsOpen] = useState(false);
  const [placement, setPlacement] = useState<CSSProperties>({});
  const rootRef = useRef<HTMLDivElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const headingId = useId();

  const pages = list.data?.pages ?? [];
  const items = pages.flatMap((page) => page.items);
  const unread = pages[0]?.unreadCount ?? 0;

  useLayoutEffect(() => {
    if (!isOpen) return;
    const place = () => {
      const bell = triggerRef.current?.getBoundingClientRect();
      if (!bell) return;
      const width = Math.min(PANEL_WIDTH, window.innerWidth - 2 * VIEWPORT_MARGIN);
      const left = Math.max(VIEWPORT_MARGIN, Math.min(bell.left, window.innerWidth - width - VIEWPORT_MARGIN));
      setPlacement({ top: bell.bottom + PANEL_GAP, left, width });
    };
    place();
    window.addEventListener("resize", place);
    return () => window.removeEventListener("resize", place);
  }, [isOpen]);

  useEffect(() => {
    if (!isOpen) return;
    panelRef.current?.focus();
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!rootRef.current?.contains(target) && !panelRef.current?.contains(target)) setIsOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [isOpen]);

  function close() {
    setIsOpen(false);
    triggerRef.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
      return;
    }
    // The panel lives at the end of the body: leaving it with Tab comes back to the bell, closed.
    if (event.key === "Tab" && panelRef.current?.contains(document.activeElement)) {
      const focusable = Array.from(
        panelRef.current.querySelectorAll<HTMLElement>("a[href], button:not(:disabled), input:not(:disabled)"),
      );
      const active = document.activeElement;
      const isLeaving = event.shiftKey
        ? active === panelRef.current || active === focusable[0]
        : active === focusable.at(-1);
      if (isLeaving) {
        event.preventDefault();
        close();
      }
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const entries = Array.from(panelRef.current?.querySelectorAll<HTMLElement>("[data-notification-entry]") ?? []);
    if (entries.length === 0) return;
    event.preventDefault();
    const at = entries.indexOf(document.activeElement as HTMLElement);
    const step = event.key === "ArrowDown" ? 1 : -1;
    entries[at === -1 ? 0 : (at + step + entries.length) % entries.length]?.focus();
  }

  function open(event: MouseEvent, notification: NotificationDto) {
    // Modified clicks (new tab) keep the browser's behaviour; the notification is still marked read.
    if (notification.readAt === null) void markRead({ organizationId, input: { ids: [notification.id] } });
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    if (!notification.link || !isAppPath(notification.link)) return;
    event.preventDefault();
    setIsOpen(false);
    router.push(notification.link);
  }

  const label = unread > 0 ? `Notifications, ${unread} unread` : "Notifications";

  return (
    <div className={styles.bell} ref={rootRef} onKeyDown={onKeyDown}>
      <button
        ref={triggerRef}
        type="button"
        className={styles.trigger}
        aria-label={label}
        aria-expanded={isOpen}
        aria-controls={isOpen ? panelId : undefined}
        data-testid="notification-bell"
        onClick={() => setIsOpen((value) => !value)}
      >
        <BellIcon />
        {unread > 0 && (
          <span className={styles.badge} data-testid="notification-badge" aria-hidden>
            {unread > 99 ? "99+" : unread}
          </span>
        )}
      </button>
      {isOpen &&
        createPortal(
          <div
            ref={panelRef}
            id={panelId}
            role="dialog"
            aria-labelledby={headingId}
            tabIndex={-1}
            className={styles.panel}
            style={placement}
            data-testid="notification-panel"
          >
            <div className={styles.header}>
              <h2 id={headingId} className={styles.heading}>
                Notifications
              </h2>
              <button
                type="button"
                className={styles.textButton}
                disabled={unread === 0}
                data-testid="notifications-mark-all"
                onClick={() => void markRead({ organizationId, input: { all: true } })}
              >
                Mark all read
              </button>
            </div>
            {list.isLoading ? (
              <div className={styles.status} role="status" data-testid="notifications-loading">
                <Spinner size={16} /> Loading…
              </div>
            ) : list.isError && items.length === 0 ? (
              <div className={styles.status} role="alert">
                {errorMessage(list.error, "Could not load your notifications.")}{" "}
                <button type="button" className={styles.textButton} onClick={() => void list.refetch()}>
                  Try again
                </button>
              </div>
            ) : items.length === 0 ? (
              <p className={styles.status} data-testid="notifications-empty">
                You’re all caught up.
              </p>
            ) : (
              <ul className={styles.list} aria-labelledby={headingId}>
                {items.map((notification) => (
                  <li key={notification.id}>
                    <NotificationEntry notification={notification} onOpen={open} />
                  </li>
                ))}
              </ul>
            )}
            {list.hasNextPage && (
              <button
                type="button"
                className={styles.more}
                disabled={list.isFetchingNextPage}
                onClick={() => void list.fetchNextPage()}
              >
                {list.isFetchingNextPage ? "Loading…" : "Show older"}
              </button>
            )}
            <div className={styles.footer}>
              <Link href={`/${orgSlug}/settings/notifications`} onClick={() => setIsOpen(false)}>
                Notification settings
              </Link>
            </div>
          </div>,
          document.body,
        )}
    </div>
  );
}

function NotificationEntry({
  notification,
  onOpen,
}: {
  notification: NotificationDto;
  onOpen: (event: MouseEvent, notification: NotificationDto) => void;
}) {
  const isUnread = notification.readAt === null;
  const content = (
    <>
      {isUnread && <span className={styles.dot} aria-hidden />}
      <span className={styles.title}>{notification.title}</span>
      {notification.body && <span className={styles.body}>{notification.body}</span>}
      <time className={styles.time} dateTime={notification.createdAt} title={formatDateTime(notification.createdAt)}>
        {timeAgo(notification.createdAt)}
      </time>
      {isUnread && <span className="ui-visually-hidden"> (unread)</span>}
    </>
  );
  const className = `${styles.entry} ${isUnread ? styles.unread : ""}`;
  const href = isAppPath(notification.link) ? notification.link : null;
  const testProps = { "data-testid": "notification-item", "data-notification-entry": "", "data-unread": isUnread };
  if (href) {
    return (
      <a href={href} className={className} onClick={(event) => onOpen(event, notification)} {...testProps}>
        {content}
      </a>
    );
  }
  return (
    <button type="button" className={className} onClick={(event) => onOpen(event, notification)} {...testProps}>
      {content}
    </button>
  );
}

/** Only paths on this app are followed (`/x`, not `//other.site` or `javascript:`), whatever a row holds. */
function isAppPath(link: string | null): link is string {
  return link !== null && /^\/(?![/\\])/.test(link);
}

function BellIcon() {
  return (
    <svg
      width={18}
      height={18}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden
    >
      <path d="M4 6.5a4 4 0 0 1 8 0c0 3 1.25 4.25 1.75 4.75H2.25C2.75 10.75 4 9.5 4 6.5z" />
      <path d="M6.5 13.25a1.6 1.6 0 0 0 3 0" />
    </svg>
  );
}
