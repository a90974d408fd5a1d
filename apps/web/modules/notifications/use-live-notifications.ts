"use client";

import { NOTIFICATION_EVENTS, NotificationNewSchema } from "@devflow/contracts";
import {
  createCollabSocket,
  createTokenSource,
  fetchServiceToken,
  useAppDispatch,
  type ConnectErrorData,
} from "@devflow/web-data-access";
import { useEffect, useRef, useState } from "react";
import { addLiveNotification } from "./notifications.api";

/** How long to wait before connecting again after collab refused the connection (a bad or expired token). */
const RETRY_AFTER_REFUSAL_MS = 30_000;

/**
 * Keeps a connection to collab's live feed for the organization and writes each `notification:new`
 * into the bell's list. Answers whether the feed is up: while it is not, the bell polls instead.
 * `onReconnect` runs when the feed comes back after a drop, since pushes sent meanwhile were missed.
 */
export function useLiveNotifications(
  organizationId: string,
  collabUrl: string | undefined,
  onReconnect: () => void,
): boolean {
  const dispatch = useAppDispatch();
  const [isLive, setIsLive] = useState(false);
  const onReconnectRef = useRef(onReconnect);
  useEffect(() => {
    onReconnectRef.current = onReconnect;
  }, [onReconnect]);

  useEffect(() => {
    if (!collabUrl) return;
    const tokens = createTokenSource({ fetchToken: () => fetchServiceToken(organizationId, "collab") });
    const socket = createCollabSocket({ url: collabUrl, getToken: () => tokens.get() });
    let hasConnected = false;
    let retry: ReturnType<typeof setTimeout> | null = null;

    const onConnect = () => {
      if (hasConnected) onReconnectRef.current();
      hasConnected = true;
      setIsLive(true);
    };
    const onDisconnect = () => setIsLive(false);
    const onConnectError = (error: Error & { data?: ConnectErrorData }) => {
      setIsLive(false);
      if (error.data?.code) tokens.invalidate();
      // A refused handshake is not retried by Socket.io itself; network failures are.
      if (!socket.active && retry === null) {
        retry = setTimeout(() => {
          retry = null;
          socket.connect();
        }, RETRY_AFTER_REFUSAL_MS);
      }
    };
    const onNotification = (payload: unknown) => {
      const parsed = NotificationNewSchema.safeParse(payload);
      if (!parsed.success || parsed.data.organizationId !== organizationId) return;
      dispatch(addLiveNotification(organizationId, parsed.data.notification, parsed.data.unreadCount));
    };

    socket.on("connect", onConnect);
    socket.on("disconnect", onDisconnect);
    socket.on("connect_error", onConnectError);
    socket.on(NOTIFICATION_EVENTS.new, onNotification);
    socket.connect();
    return () => {
      if (retry) clearTimeout(retry);
      socket.off("connect", onConnect);
      socket.off("disconnect", onDisconnect);
      socket.off("connect_error", onConnectError);
      socket.off(NOTIFICATION_EVENTS.new, onNotification);
      socket.disconnect();
      setIsLive(false);
    };
  }, [organizationId, collabUrl, dispatch]);

  return isLive;
}
