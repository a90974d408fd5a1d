import { WORKFLOW_ERROR_MAX, WORKFLOW_JSON_BYTES_MAX } from "@devflow/contracts";
import { AppError } from "@devflow/util-core";

/**
 * `value` as it will be stored in a JSON column: what JSON.stringify makes of it (dates as ISO
 * strings, `undefined` properties dropped, `undefined` itself as null). Throws a non-retryable
 * validation_failed AppError, naming `what`, when it is not JSON (a BigInt, a cycle) or its JSON is
 * over `maxBytes` — a step that produces too much should store it elsewhere (a blob) and return
 * its id; running it again would produce as much.
 */
export function toStoredJson(value: unknown, what: string, maxBytes = WORKFLOW_JSON_BYTES_MAX): unknown {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new AppError("validation_failed", `${what} is not JSON: ${errorMessageOf(error)}`, {
      report: false,
      retryable: false,
      cause: error,
    });
  }
  if (text === undefined) return null;
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > maxBytes) {
    throw new AppError(
      "validation_failed",
      `${what} is ${bytes} bytes of JSON; at most ${maxBytes} are stored. Store large results elsewhere and return a reference.`,
      { report: false, retryable: false, details: { bytes, maxBytes } },
    );
  }
  return JSON.parse(text) as unknown;
}

/** An error's message for the audit trail: never a stack, at most WORKFLOW_ERROR_MAX characters. */
export function errorMessageOf(error: unknown): string {
  // A TypeError says more than its message alone; Error and AppError add nothing.
  const isPlain = error instanceof Error && (error.name === "Error" || error.name === "AppError");
  const message =
    error instanceof Error ? (isPlain ? error.message : `${error.name}: ${error.message}`) : String(error);
  return message.length > WORKFLOW_ERROR_MAX ? `${message.slice(0, WORKFLOW_ERROR_MAX - 1)}…` : message;
}

/**
 * Whether another attempt could succeed: AppErrors say so themselves (`retryable`); anything else
 * (a network error, a bug that may depend on timing) gets the benefit of the doubt.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof AppError) return error.retryable;
  if (error instanceof Error && error.name === "AppError") return (error as Partial<AppError>).retryable === true;
  return true;
}
