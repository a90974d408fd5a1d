import type { LiveDocumentEditor } from "@devflow/ai-tools";
import { COLLAB_EVENTS, ErrorCodeSchema } from "@devflow/contracts";
import { REQUEST_ID_HEADER, type Logger } from "@devflow/observability";
import { AppError } from "@devflow/util-core";
import { io, type Socket } from "socket.io-client";
import type { CollabTokenSource } from "./collab-tokens";
import { submitEdit } from "./submit-edit";

export interface SocketLiveEditorOptions {
  /** The collab service's internal address (COLLAB_INTERNAL_URL). */
  collabUrl: string;
  tokens: CollabTokenSource;
  logger: Logger;
  /**
   * How long the agent stays in the document after its edit, its caret where it wrote, so people
   * see who changed the text. The tool call does not wait for it. Default 8 s.
   */
  lingerMs?: number;
  /** Bound on connecting, and on joining plus the durable ack. Default 15 s each. */
  stepTimeoutMs?: number;
}

export interface SocketLiveEditor extends LiveDocumentEditor {
  /** Ends the lingering sessions (on shutdown). */
  close(): void;
}

/**
 * edit_doc's way into the live documents: a real Socket.io client of the collab service, acting
 * with a collab token minted for the caller (and naming the agent), one connection per edit.
 * Being an ordinary editor is the point: the service checks access, transforms the op over
 * concurrent typing, stores it before acking, broadcasts it, and shows the agent in presence.
 */
export function createSocketLiveEditor(options: SocketLiveEditorOptions): SocketLiveEditor {
  const lingerMs = options.lingerMs ?? 8_000;
  const stepTimeoutMs = options.stepTimeoutMs ?? 15_000;
  const lingering = new Map<Socket, ReturnType<typeof setTimeout>>();

  const linger = (socket: Socket) => {
    const timer = setTimeout(() => {
      lingering.delete(socket);
      socket.disconnect();
    }, lingerMs);
    timer.unref?.();
    lingering.set(socket, timer);
  };

  return {
    async apply(call, edit) {
      const token = await options.tokens.tokenFor(call);
      const socket = await connect(options.collabUrl, token, call.ctx.requestId, stepTimeoutMs);
      try {
        const submitted = await submitEdit(socket, edit, stepTimeoutMs);
        socket.emit(COLLAB_EVENTS.presence, submitted.presence);
        linger(socket);
        options.logger.info(
          {
            documentId: edit.documentId,
            version: submitted.version,
            concurrentOps: submitted.concurrentOps,
            agent: call.agent.name,
          },
          "agent edit committed through collab",
        );
        return { version: submitted.version, concurrentOps: submitted.concurrentOps };
      } catch (error) {
        socket.disconnect();
        throw error;
      }
    },
    close() {
      for (const [socket, timer] of lingering) {
        clearTimeout(timer);
        socket.disconnect();
      }
      lingering.clear();
    },
  };
}

/** Connects over websockets only, without reconnects: a failed edit is reported, not retried behind the caller's back. */
function connect(url: string, token: string, requestId: string, timeoutMs: number): Promise<Socket> {
  const socket = io(url, {
    path: "/socket.io",
    auth: { token },
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    timeout: timeoutMs,
    extraHeaders: { [REQUEST_ID_HEADER]: requestId },
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (error: Error & { data?: unknown }) => {
      socket.close();
      reject(connectRefusal(url, error));
    });
  });
}

/** A refused handshake carries `{ code, message }` (apps/collab socket-auth); anything else is the service being away. */
function connectRefusal(url: string, error: Error & { data?: unknown }): AppError {
  const data = error.data as { code?: unknown; message?: unknown } | undefined;
  const code = ErrorCodeSchema.safeParse(data?.code);
  if (code.success && typeof data?.message === "string") {
    return new AppError(code.data, `The collab service refused the connection: ${data.message}`, { report: false });
  }
  return new AppError("unavailable", `Could not connect to the collab service at ${url}: ${error.message}`, {
    cause: error,
  });
}
