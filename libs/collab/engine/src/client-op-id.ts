import { CollabEngineError } from "./errors";

export interface ClientOpId {
  clientId: string;
  clientSeq: number;
}

/** `client_seq` is a Postgres integer. */
const MAX_CLIENT_SEQ = 2_147_483_647;

/**
 * Splits `${clientId}:${sequence}` (the `OtClient` format) at the last colon, so client ids may
 * themselves contain colons. The sequence is a positive integer without leading zeros, so one op
 * has exactly one id.
 */
export function parseClientOpId(clientOpId: string): ClientOpId {
  const colon = clientOpId.lastIndexOf(":");
  const clientId = clientOpId.slice(0, colon);
  const digits = clientOpId.slice(colon + 1);
  const clientSeq = Number(digits);
  if (colon <= 0 || !/^[1-9][0-9]*$/.test(digits) || clientSeq > MAX_CLIENT_SEQ) {
    throw new CollabEngineError(
      "invalid_client_op_id",
      "validation_failed",
      `Client op id "${clientOpId}" is not "<clientId>:<sequence>" with a sequence from 1 to ${MAX_CLIENT_SEQ}`,
    );
  }
  return { clientId, clientSeq };
}

/** The wire form of a client op id, as the `OtClient` builds it and as catch-up ops carry it. */
export function formatClientOpId(id: ClientOpId): string {
  return `${id.clientId}:${id.clientSeq}`;
}
