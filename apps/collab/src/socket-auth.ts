import type { ServicePrincipal, ServiceTokenVerifier } from "@devflow/auth";
import type { ErrorCode } from "@devflow/contracts";
import type { Logger } from "@devflow/observability";
import { isAppError } from "@devflow/util-core";
import type { DefaultEventsMap, ExtendedError, Server, Socket } from "socket.io";

/** What collab keeps on each socket (`socket.data`). */
export interface CollabSocketData {
  /** Who the socket acts for, from the service token it connected with. */
  principal: ServicePrincipal;
}

/** What a refused client receives as `connect_error`'s `err.data`. */
export interface SocketAuthErrorData {
  code: ErrorCode;
  message: string;
}

export type CollabIo = Server<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, CollabSocketData>;
export type CollabSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, CollabSocketData>;
export type SocketMiddleware = (socket: CollabSocket, next: (error?: ExtendedError) => void) => void;

/**
 * The connection hook: a socket joins only with `auth: { token }` holding a service token for
 * devflow-collab, and carries its user, organization and role in `socket.data.principal` from then
 * on. Refusals reach the client as `connect_error` with `data: { code, message }`.
 */
export function beforeConnectAuthenticate(verifier: ServiceTokenVerifier, logger: Logger): SocketMiddleware {
  return (socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const token = typeof auth === "object" && auth !== null && "token" in auth ? auth.token : undefined;
    if (typeof token !== "string" || token === "") {
      next(refusal("unauthenticated", "Connect with auth: { token } holding a service token from the web app"));
      return;
    }
    verifier.verify(token, "devflow-collab").then(
      (principal) => {
        socket.data.principal = principal;
        next();
      },
      (error: unknown) => {
        if (isAppError(error)) {
          if (error.report) logger.error({ err: error }, "could not check a socket's service token");
          next(refusal(error.code, error.message));
          return;
        }
        logger.error({ err: error }, "could not check a socket's service token");
        next(refusal("internal", "Could not check the service token"));
      },
    );
  };
}

function refusal(code: ErrorCode, message: string): ExtendedError {
  const error: ExtendedError = new Error(message);
  error.data = { code, message } satisfies SocketAuthErrorData;
  return error;
}
