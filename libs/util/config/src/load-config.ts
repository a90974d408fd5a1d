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
 * Parses `env` with `schema`. Empty strings count as unset, so `FOO=` in a .env file falls back
 * to the default instead of failing on an empty value.
 */
export function loadConfig<S extends z.ZodType>(
  service: string,
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(
    service,
    result.error.issues.map((issue) => ({
      variable: issue.path.length > 0 ? issue.path.join(".") : "(environment)",
      problem: issue.message,
    })),
  );
}
