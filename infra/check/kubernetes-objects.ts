/** Parsed manifest objects and the small accessors the checks read them with. */

export type KubeObject = Record<string, unknown>;

export interface Located {
  /** e.g. "30-collab.yaml Deployment/collab", for messages. */
  where: string;
  object: KubeObject;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value if it is an object, else an empty one: lets a check walk a path that may be missing. */
export function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

export function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function nameOf(item: Located): string {
  return String(record(item.object.metadata).name);
}

export function namespaceOf(item: Located): string | undefined {
  const namespace = record(item.object.metadata).namespace;
  return typeof namespace === "string" ? namespace : undefined;
}

export function annotation(item: Located, key: string): string | undefined {
  const value = record(record(item.object.metadata).annotations)[key];
  return typeof value === "string" ? value : undefined;
}
