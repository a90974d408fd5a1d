/** Metadata values Pinecone stores: string, number, boolean, or a list of strings (no null). */
export type MetadataValue = string | number | boolean | string[];
export type Metadata = Record<string, MetadataValue>;

/** A filter expression Pinecone rejects; the fake answers 400 with the message. */
export class InvalidFilterError extends Error {}

const COMPARISONS = new Set(["$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists"]);

/**
 * Pinecone's metadata filter language (MongoDB-like), as documented under "Filter by metadata":
 * top-level fields are ANDed; `$and`/`$or` take arrays of expressions; a field takes a bare value
 * (shorthand for `$eq`) or an object of operators `$eq $ne $gt $gte $lt $lte $in $nin $exists`.
 * A list-of-strings field matches `$eq`/`$in` when any element does, and `$ne`/`$nin` only when none
 * does. A record without the field fails every operator except `$ne`, `$nin` and `$exists: false`.
 * Anything else is rejected, as Pinecone rejects it, so a store cannot rely on an operator that
 * the real service would refuse.
 */
export function matchesFilter(metadata: Metadata, filter: unknown): boolean {
  if (!isPlainObject(filter)) throw new InvalidFilterError("filter must be an object");
  return Object.entries(filter).every(([key, condition]) => {
    if (key === "$and" || key === "$or") {
      if (!Array.isArray(condition) || condition.length === 0) {
        throw new InvalidFilterError(`${key} must be a non-empty array of filters`);
      }
      return key === "$and"
        ? condition.every((c) => matchesFilter(metadata, c))
        : condition.some((c) => matchesFilter(metadata, c));
    }
    if (key.startsWith("$")) throw new InvalidFilterError(`unsupported operator at the top level: ${key}`);
    return matchesField(metadata[key], isPlainObject(condition) ? condition : { $eq: condition });
  });
}

function matchesField(value: MetadataValue | undefined, operators: Record<string, unknown>): boolean {
  const entries = Object.entries(operators);
  if (entries.length === 0) throw new InvalidFilterError("empty operator object");
  return entries.every(([op, operand]) => {
    if (!COMPARISONS.has(op)) throw new InvalidFilterError(`unsupported operator: ${op}`);
    const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
    switch (op) {
      case "$exists":
        if (typeof operand !== "boolean") throw new InvalidFilterError("$exists takes a boolean");
        return (value !== undefined) === operand;
      case "$in":
      case "$nin": {
        if (!Array.isArray(operand)) throw new InvalidFilterError(`${op} takes an array`);
        if (operand.length > 10_000) throw new InvalidFilterError(`${op} takes at most 10000 values`);
        operand.forEach(checkScalar);
        const any = values.some((v) => operand.includes(v));
        return op === "$in" ? any : !any;
      }
      case "$eq":
      case "$ne": {
        checkScalar(operand);
        const any = values.some((v) => v === operand);
        return op === "$eq" ? any : !any;
      }
      default: {
        if (typeof operand !== "number") throw new InvalidFilterError(`${op} takes a number`);
        return values.some((v) => typeof v === "number" && compare(op, v, operand));
      }
    }
  });
}

function compare(op: string, a: number, b: number): boolean {
  if (op === "$gt") return a > b;
  if (op === "$gte") return a >= b;
  if (op === "$lt") return a < b;
  return a <= b;
}

function checkScalar(value: unknown): void {
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
    throw new InvalidFilterError(`filter values must be strings, numbers or booleans, got ${JSON.stringify(value)}`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether `metadata` is a payload Pinecone accepts (flat; string, number, boolean or list of strings; no null). */
export function isValidMetadata(metadata: unknown): metadata is Metadata {
  if (!isPlainObject(metadata)) return false;
  return Object.values(metadata).every(
    (v) =>
      typeof v === "string" ||
      typeof v === "boolean" ||
      (typeof v === "number" && Number.isFinite(v)) ||
      (Array.isArray(v) && v.every((item) => typeof item === "string")),
  );
}
