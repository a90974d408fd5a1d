import { Resolver } from "node:dns/promises";
import { readFile } from "node:fs/promises";
import type { WebConfig } from "@devflow/util-config";

const LOOKUP_TIMEOUT_MS = 5_000;

/** A TXT lookup shaped like `dns.promises.resolveTxt`: one array of chunks per record. */
export type ResolveTxt = (name: string) => Promise<string[][]>;

/**
 * TXT lookups for domain verification: real DNS with a 5 s limit, or — in tests — the JSON file named
 * by DNS_TXT_OVERRIDES_FILE (`{ "<name>": ["<TXT>", …] }`), read on every call so a test can publish a
 * record while the app runs. The config schema refuses the override in production.
 */
export function createTxtResolver(config: Pick<WebConfig, "DNS_TXT_OVERRIDES_FILE" | "DEVFLOW_ENV">): ResolveTxt {
  const overrides = config.DNS_TXT_OVERRIDES_FILE;
  if (overrides && config.DEVFLOW_ENV !== "production") return (name) => resolveFromFile(overrides, name);
  return resolveFromDns;
}

async function resolveFromDns(name: string): Promise<string[][]> {
  const resolver = new Resolver({ timeout: LOOKUP_TIMEOUT_MS, tries: 1 });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      resolver.cancel();
      reject(Object.assign(new Error(`TXT lookup of ${name} timed out`), { code: "ETIMEOUT" }));
    }, LOOKUP_TIMEOUT_MS);
  });
  try {
    return await Promise.race([resolver.resolveTxt(name), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Answers from the overrides file. A key may be the queried name itself or the bare domain the
 * verification record sits under (`_devflow-verification.<domain>`), whichever the test wrote.
 */
async function resolveFromFile(file: string, name: string): Promise<string[][]> {
  const table = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
  const bare = name.replace(/^_devflow-verification\./, "");
  const records = table[name] ?? table[bare];
  if (!Array.isArray(records) || records.length === 0) {
    throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: "ENOTFOUND" });
  }
  return records.map((record) => [String(record)]);
}
