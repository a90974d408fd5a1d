/**
 * Fills the `${NAME}` placeholders of infra/k8s/*.yaml and prints one YAML stream for kubectl:
 *
 *   terraform -chdir=terraform/environments/<env> output -json k8s_values > values.json
 *   tsx infra/deploy/render-k8s.ts --values values.json --tag <image tag> | kubectl apply -f -
 *
 * Values come from the JSON object, IMAGE_TAG from --tag. Every placeholder must have a value:
 * a missing one fails the whole render (naming each), so a half-filled manifest never reaches the
 * cluster. Substitution is textual, comments included, so a placeholder in a comment must be a known
 * name too.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import YAML from "yaml";

export interface ManifestText {
  /** Where the text came from, for messages (a file name). */
  name: string;
  text: string;
}

export type RenderValues = Readonly<Record<string, string | number | boolean>>;

export class RenderError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Cannot render the Kubernetes manifests:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "RenderError";
  }
}

export const DEFAULT_MANIFEST_DIR = fileURLToPath(new URL("../k8s", import.meta.url));

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
/** A tag as registries accept it (no digests: the manifests write `<image>:<tag>`). */
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/*
 * Placeholders sit inside double-quoted YAML strings or stand alone as numbers; these characters
 * would end the string or start a new line, changing the document instead of filling it in.
 */
const UNSAFE_VALUE = /["\\\n\r]|\$\{/;

/** Substitutes every placeholder, checks each result is valid YAML, and joins the texts into one stream. */
export function renderManifests(texts: readonly ManifestText[], values: RenderValues): string {
  const problems: string[] = [];
  const missing = new Map<string, Set<string>>();
  const unsafe = new Set<string>();
  for (const { name, text } of texts) {
    for (const [, key] of text.matchAll(PLACEHOLDER)) {
      if (!key) continue;
      if (!Object.hasOwn(values, key)) missing.set(key, (missing.get(key) ?? new Set()).add(name));
      else if (UNSAFE_VALUE.test(String(values[key]))) unsafe.add(key);
    }
  }
  for (const [key, files] of [...missing].sort(([a], [b]) => a.localeCompare(b))) {
    problems.push(`no value for \${${key}} (used in ${[...files].join(", ")})`);
  }
  for (const key of [...unsafe].sort()) {
    problems.push(
      `the value of ${key} contains a quote, backslash, line break or "\${", which cannot go into YAML as is`,
    );
  }
  if (problems.length > 0) throw new RenderError(problems);

  const rendered = texts.map(({ name, text }) => ({
    name,
    text: text.replace(PLACEHOLDER, (_match, key: string) => String(values[key])),
  }));
  for (const { name, text } of rendered) {
    const leftover = text.split("\n").findIndex((line) => line.includes("${"));
    if (leftover >= 0) problems.push(`${name}:${leftover + 1}: "\${" that is not a \${NAME} placeholder`);
    for (const document of YAML.parseAllDocuments(text)) {
      for (const error of document.errors)
        problems.push(`${name}: not valid YAML after substitution: ${error.message}`);
    }
  }
  if (problems.length > 0) throw new RenderError(problems);
  return rendered.map(({ text }) => `${text.trimEnd()}\n`).join("---\n");
}

/** The manifest files of a directory (not its subdirectories), in name order, which is apply order. */
export function readManifestDir(dir: string): ManifestText[] {
  const names = readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
  if (names.length === 0) throw new RenderError([`no .yaml files in ${dir}`]);
  return names.map((name) => ({ name, text: readFileSync(path.join(dir, name), "utf8") }));
}

/** The object `terraform output -json k8s_values` prints: names to strings (numbers and booleans tolerated). */
export function parseValues(json: string, source: string): Record<string, string | number | boolean> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new RenderError([`${source} is not JSON: ${(error as Error).message}`]);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new RenderError([`${source} must hold a JSON object (the output of \`terraform output -json k8s_values\`)`]);
  }
  const problems: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (!["string", "number", "boolean"].includes(typeof value)) {
      problems.push(`${source}: ${key} must be a string or a number, not ${value === null ? "null" : typeof value}`);
    }
  }
  if (problems.length > 0) throw new RenderError(problems);
  return parsed as Record<string, string | number | boolean>;
}

const USAGE = "usage: tsx infra/deploy/render-k8s.ts --values <values.json> --tag <image tag> [--dir infra/k8s]";

function main(argv: string[]): void {
  let args: { values?: string; tag?: string; dir: string };
  try {
    args = parseArgs({
      args: argv,
      options: {
        values: { type: "string" },
        tag: { type: "string" },
        dir: { type: "string", default: DEFAULT_MANIFEST_DIR },
      },
    }).values;
  } catch (error) {
    throw new RenderError([(error as Error).message, USAGE]);
  }
  if (!args.values || !args.tag) throw new RenderError([USAGE]);
  if (!IMAGE_TAG.test(args.tag)) {
    throw new RenderError([`--tag ${JSON.stringify(args.tag)} is not an image tag (letters, digits, _ . -)`]);
  }
  const values = parseValues(readFileSync(args.values, "utf8"), args.values);
  const texts = readManifestDir(args.dir);
  process.stdout.write(renderManifests(texts, { ...values, IMAGE_TAG: args.tag }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    // Bad values or arguments, and unreadable files: the message is the whole story.
    const isExpected = error instanceof RenderError || (error instanceof Error && "code" in error);
    if (!isExpected) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
