import { io } from "socket.io-client";

/**
 * The part of a Socket.io client socket the session uses, so tests can hand it an in-memory fake.
 * `emit` with a callback is a Socket.io acknowledgement: the reply arrives on the same connection,
 * in order with the broadcasts.
 */
export interface CollabSocket {
  readonly connected: boolean;
  /** False once the socket gave up reconnecting by itself (server-side disconnect, refused handshake). */
  readonly active: boolean;
  readonly id: string | undefined;
  connect(): void;
  disconnect(): void;
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  emit(event: string, payload: unknown, ack?: (reply: unknown) => void): unknown;
}

/** What a refused handshake carries as `connect_error`'s `err.data` (see apps/collab socket-auth). */
export interface ConnectErrorData {
  code?: string;
  message?: string;
}

export interface CollabSocketOptions {
  /** `COLLAB_PUBLIC_URL`, e.g. `https://collab.devflow.example`. */
  url: string;
  /** Returns a service token for the collab audience; called before every connection attempt. */
  getToken: () => Promise<string>;
  /** Socket.io's path on the collab service. */
  path?: string;
}

/**
 * A Socket.io client for the collab service, not yet connected. Each connection attempt, including
 * automatic reconnects, asks `getToken` again, so a token that expired while offline is replaced.
 */
export function createCollabSocket({ url, getToken, path = "/socket.io" }: CollabSocketOptions): CollabSocket {
  const socket = io(url, {
    path,
    autoConnect: false,
    // Own manager per editor: closing one document must not close another's connection.
    forceNew: true,
    // WebSocket only: no long-polling fallback, which would need CORS and sticky sessions on collab.
    transports: ["websocket"],
    reconnectionDelay: 500,
    reconnectionDelayMax: 10_000,
    auth: (callback) => {
      getToken().then(
        (token) => callback({ token }),
        // The server refuses an empty token with `unauthenticated`; the session then retries.
        () => callback({ token: "" }),
      );
    },
  });
  type Untyped = (...args: unknown[]) => void;
  return {
    get connected() {
      return socket.connected;
    },
    get active() {
      return socket.active;
    },
    get id() {
      return socket.id;
    },
    connect: () => socket.connect(),
    disconnect: () => socket.disconnect(),
    on: (event, listener) => socket.on(event, listener as Untyped),
    off: (event, listener) => socket.off(event, listener as Untyped),
    emit: (event, payload, ack) => (ack ? socket.emit(event, payload, ack) : socket.emit(event, payload)),
  };
}
