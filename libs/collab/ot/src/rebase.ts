import { transform, type TextOp } from "./text-op";

/**
 * The ops a server still holds in memory or in its log. `ops[i]` took the document from version
 * `startVersion + i` to `startVersion + i + 1`, so the head is `startVersion + ops.length`.
 * Passing exactly the ops since an op's base version (`startVersion = baseVersion`) is fine.
 */
export interface OpHistory {
  startVersion: number;
  ops: readonly TextOp[];
}

export type RebaseErrorReason = "invalid_version" | "future_version" | "expired_version";

/**
 * The op's base version cannot be served: a version the server never produced, or one older than
 * the retained history (the client must rejoin and take a snapshot). `code` is the contracts
 * `ErrorCode` for the socket edge.
 */
export class RebaseError extends Error {
  override readonly name = "RebaseError";
  readonly code: "validation_failed" | "conflict";

  constructor(
    readonly reason: RebaseErrorReason,
    readonly baseVersion: number,
    readonly headVersion: number,
    readonly oldestVersion: number,
  ) {
    super(rebaseMessage(reason, baseVersion, headVersion, oldestVersion));
    this.code = reason === "expired_version" ? "conflict" : "validation_failed";
  }
}

/** The version the document reaches after every op in `history`. */
export function headVersion(history: OpHistory): number {
  return history.startVersion + history.ops.length;
}

/**
 * Transforms an op made against `baseVersion` over every op committed since, so it applies at the
 * head of `history`. Committed ops win ties (they are `left`), matching `OtClient.onRemote`.
 * Throws `RebaseError` for a version in the future or older than `history.startVersion`.
 */
export function rebase(op: TextOp, baseVersion: number, history: OpHistory): TextOp {
  const head = headVersion(history);
  if (!Number.isSafeInteger(baseVersion) || baseVersion < 0) {
    throw new RebaseError("invalid_version", baseVersion, head, history.startVersion);
  }
  if (baseVersion > head) {
    throw new RebaseError("future_version", baseVersion, head, history.startVersion);
  }
  if (baseVersion < history.startVersion) {
    throw new RebaseError("expired_version", baseVersion, head, history.startVersion);
  }
  let rebased = op;
  for (let i = baseVersion - history.startVersion; i < history.ops.length; i++) {
    rebased = transform(rebased, history.ops[i]!, "right");
  }
  return rebased;
}

function rebaseMessage(reason: RebaseErrorReason, base: number, head: number, oldest: number): string {
  switch (reason) {
    case "invalid_version":
      return `The op's base version ${base} is not a version number`;
    case "future_version":
      return `The op is based on v${base} but the document is at v${head}`;
    case "expired_version":
      return `The op is based on v${base}; history is only kept from v${oldest} (head v${head})`;
  }
}
