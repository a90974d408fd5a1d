import { readFileSync } from "node:fs";
import { z } from "zod";

/** Thrown when the environment does not satisfy an app's schema; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly issues: { variable: string; problem: string }[],
  ) {
    super(
      `Invalid configuration for ${service}:\n` +
        issues.map((i) => `  ${i.variable}: ${i.problem}`).join("\n") +
        "\nSee the configuration table in README.md.",
    );
    this.name = "ConfigError";
  }
}

/**
 * Parses `env` with `schema`. Empty and blank strings count as unset, so `FOO=` in a .env file (or a
 * secret left blank until an operator fills it) falls back to the default instead of failing.
 *
 * `FOO_FILE=/path` supplies `FOO` from that file when `FOO` itself is unset: Kubernetes mounts
 * secrets as files, so they never appear in a pod's environment or its spec.
 */
export function loadConfig<S extends z.ZodType>(
  service: string,
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const { values, issues } = withFileValues(unsetBlanks(env), new Set(schemaVariables(schema)));
  const result = schema.safeParse(values);
  if (result.success && issues.length === 0) return result.data;
  throw new ConfigError(service, [
    ...issues,
    ...(result.success ? [] : result.error.issues).map((issue) => ({
      variable: issue.path.length > 0 ? issue.path.join(".") : "(environment)",
      problem: issue.message,
    })),
  ]);
}

const FILE_SUFFIX = "_FILE";

// Callers may pass an app's parsed config instead of its environment (numbers and flags, not strings).
function unsetBlanks(env: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(env).filter(
      ([, value]) => value !== undefined && (typeof value !== "string" || value.trim() !== ""),
    ),
  );
}

/** The variables a schema reads: the keys of the object it parses. */
export function schemaVariables(schema: z.ZodType): string[] {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties?: object };
  return Object.keys(json.properties ?? {});
}

function withFileValues(env: Record<string, unknown>, known: Set<string>) {
  const values = { ...env };
  const issues: { variable: string; problem: string }[] = [];
  for (const [name, file] of Object.entries(env)) {
    const target = name.slice(0, -FILE_SUFFIX.length);
    // A variable set directly wins; a setting that is itself a path (DNS_TXT_OVERRIDES_FILE) is left alone.
    if (!name.endsWith(FILE_SUFFIX) || typeof file !== "string") continue;
    if (!known.has(target) || known.has(name) || target in env) continue;
    try {
      // Secret files usually end in a newline that is not part of the value.
      const value = readFileSync(file, "utf8").trim();
      if (value !== "") values[target] = value;
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
      issues.push({ variable: name, problem: `cannot read ${file} (${reason})` });
    }
  }
  return { values, issues };
}
