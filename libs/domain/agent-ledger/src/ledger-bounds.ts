import { API_TOKEN_PREFIX } from "@devflow/auth";
import { LEDGER_REDACTED, LEDGER_TRUNCATED_KEY } from "@devflow/contracts";

/*
 * What the ledger stores is bounded and scrubbed before it reaches the database: tool inputs come
 * from outside clients, can be any size, and may carry credentials (an `apiKey` argument, a bearer
 * header pasted into a prompt). Secrets are removed by key name and by recognisable value shapes;
 * JSON past the byte limit is replaced by a marker holding the start of its text.
 */

/** Keys whose values are never stored: normalised (lower case, no `_`/`-`), matched on how they end. */
const SECRET_KEY =
  /(token|secret|password|passwd|passphrase|apikey|authorization|cookie|credentials?|privatekey|clientsecret)$/;
/** Token counts and ids are not secrets, though their names end like one. */
const NOT_SECRET_KEY = /(tokens|tokenid|tokencount|maxtokens|tokenname|tokenprefix)$/;

/** Value shapes that are credentials wherever they appear: DevFlow API tokens, bearer headers, provider keys. */
const SECRET_VALUES = [
  new RegExp(`\\b${API_TOKEN_PREFIX}[A-Za-z0-9_-]{8,}`, "g"),
  /\bBearer\s+[A-Za-z0-9._~+/-]{8,}=*/gi,
  /\bsk-(?:ant-)?[A-Za-z0-9_-]{16,}/g,
];

/** Deeper than this is cut: no honest tool input nests 32 levels. */
const MAX_DEPTH = 32;

export function isSecretKey(key: string): boolean {
  const normalised = key.toLowerCase().replace(/[_-]/g, "");
  return SECRET_KEY.test(normalised) && !NOT_SECRET_KEY.test(normalised);
}

/** `text` with every credential-shaped substring replaced by LEDGER_REDACTED. */
export function redactSecretValues(text: string): string {
  return SECRET_VALUES.reduce((out, pattern) => out.replace(pattern, LEDGER_REDACTED), text);
}

/**
 * A JSON-safe copy of `value` with secrets redacted: values under secret-looking keys become
 * LEDGER_REDACTED, credential-shaped strings are masked, and what JSON cannot hold is made plain
 * (dates as ISO strings, bigints as strings, errors as name and message, cycles and functions dropped).
 */
export function redactSecrets(value: unknown): unknown {
  const seen = new WeakSet<object>();
  const walk = (node: unknown, depth: number): unknown => {
    if (typeof node === "string") return redactSecretValues(node);
    if (typeof node === "number") return Number.isFinite(node) ? node : null;
    if (typeof node === "boolean" || node === null) return node;
    if (typeof node === "bigint") return node.toString();
    if (typeof node !== "object") return undefined; // undefined, functions, symbols: JSON drops them too
    if (seen.has(node)) return "[circular]";
    if (depth >= MAX_DEPTH) return "[too deep]";
    if (node instanceof Date) return Number.isNaN(node.getTime()) ? null : node.toISOString();
    if (node instanceof Error) return { name: node.name, message: redactSecretValues(node.message) };
    seen.add(node);
    try {
      if (Array.isArray(node)) return node.map((item) => walk(item, depth + 1) ?? null);
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(node)) {
        if (isSecretKey(key)) {
          out[key] = LEDGER_REDACTED;
          continue;
        }
        const copy = walk(item, depth + 1);
        if (copy !== undefined) out[key] = copy;
      }
      return out;
    } finally {
      seen.delete(node); // shared (not circular) references are fine
    }
  };
  return walk(value, 0) ?? null;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
export function cutToBytes(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  const cut = Buffer.from(text, "utf8").subarray(0, Math.max(0, maxBytes)).toString("utf8");
  // A character split by the cut decodes as U+FFFD; drop it rather than store a broken one.
  return cut.endsWith("\uFFFD") ? cut.slice(0, -1) : cut;
}

export interface TruncatedJson {
  [LEDGER_TRUNCATED_KEY]: true;
  originalBytes: number;
  preview: string;
}

/**
 * `value` (already JSON-safe) as it will be stored: unchanged when its JSON fits in `maxBytes`,
 * otherwise a TruncatedJson marker whose own JSON fits, holding as much of the text as it can.
 */
export function boundJson(value: unknown, maxBytes: number): unknown {
  const text = JSON.stringify(value) ?? "null";
  const originalBytes = utf8Bytes(text);
  if (originalBytes <= maxBytes) return value;
  // Escaping can grow the preview (quotes become \"), so shrink until the marker fits.
  let budget = maxBytes - 128;
  for (;;) {
    const marker: TruncatedJson = { [LEDGER_TRUNCATED_KEY]: true, originalBytes, preview: cutToBytes(text, budget) };
    if (utf8Bytes(JSON.stringify(marker)) <= maxBytes || budget <= 0) return marker;
    budget = Math.floor(budget * 0.8);
  }
}

/** `text` cut to `maxBytes` of UTF-8, with a last line saying how much was left out. */
export function boundText(text: string, maxBytes: number, what: string): string {
  const bytes = utf8Bytes(text);
  if (bytes <= maxBytes) return text;
  const note = `\n\\ ${what} truncated: ${bytes} bytes, the first ${maxBytes} kept`;
  return cutToBytes(text, maxBytes - utf8Bytes(note)) + note;
}

/** Lines added and removed by a unified diff (header lines `+++`/`---` not counted). */
export function diffStats(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of diff.split("\n")) {
    if (line.startsWith("+++") || line.startsWith("---")) continue;
    if (line.startsWith("+")) added++;
    else if (line.startsWith("-")) removed++;
  }
  return { added, removed };
}
