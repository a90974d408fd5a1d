/**
 * Checks the Terraform under a directory without terraform or a cloud: every .tf file is parsed
 * with @cdktf/hcl2json, and each module directory is checked for what `terraform validate` would
 * refuse (undeclared variables, undefined locals, missing resources, modules' outputs and
 * arguments) and what review should (variables without a description or type).
 *
 *   npx tsx infra/check/terraform.ts [directory]   (default: terraform)
 */
import { parse } from "@cdktf/hcl2json";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { referencesIn, type Traversal } from "./terraform-expressions";

export interface Problem {
  file: string;
  /** The block it is in, as Terraform names it: `module "web"`, `resource "google_x" "y"`. */
  where: string;
  message: string;
}

type Body = Record<string, unknown>;

interface Declaration<T = Body> {
  file: string;
  body: T;
}

/** One directory's blocks, by kind and name. */
export interface TerraformModule {
  dir: string;
  variables: Map<string, Declaration>;
  locals: Map<string, Declaration<unknown>>;
  outputs: Map<string, Declaration>;
  modules: Map<string, Declaration>;
  /** "type.name" */
  resources: Map<string, Declaration>;
  /** "type.name" */
  data: Map<string, Declaration>;
  providers: Declaration[];
  /** Syntax errors and blocks declared twice. */
  problems: Problem[];
}

/** Terraform's own names for what is always in scope. */
const BUILT_IN_ROOTS = new Set(["count", "each", "self", "path", "terraform"]);
/** Module block arguments that are not the child module's variables. */
const MODULE_META_ARGUMENTS = new Set(["source", "version", "count", "for_each", "providers", "depends_on"]);

export async function loadModule(dir: string): Promise<TerraformModule> {
  const module: TerraformModule = {
    dir,
    variables: new Map(),
    locals: new Map(),
    outputs: new Map(),
    modules: new Map(),
    resources: new Map(),
    data: new Map(),
    providers: [],
    problems: [],
  };
  const names = (await readdir(dir)).filter((name) => name.endsWith(".tf")).sort();
  for (const name of names) {
    const file = path.join(dir, name);
    let json: Body;
    try {
      json = (await parse(name, await readFile(file, "utf8"))) as Body;
    } catch (error) {
      module.problems.push({ file, where: "", message: `syntax error: ${(error as Error).message}` });
      continue;
    }
    const declare = <T>(map: Map<string, Declaration<T>>, where: string, key: string, body: T) => {
      const earlier = map.get(key);
      if (earlier) module.problems.push({ file, where, message: `is declared twice (also in ${earlier.file})` });
      else map.set(key, { file, body });
    };
    for (const [name, body] of labelled(json.variable)) declare(module.variables, `variable "${name}"`, name, body);
    for (const [name, body] of labelled(json.output)) declare(module.outputs, `output "${name}"`, name, body);
    for (const [name, body] of labelled(json.module)) declare(module.modules, `module "${name}"`, name, body);
    for (const locals of blocks(json.locals)) {
      for (const [name, value] of Object.entries(locals)) declare(module.locals, `local.${name}`, name, value);
    }
    for (const [type, named] of Object.entries(asObject(json.resource))) {
      for (const [name, body] of labelled(named)) {
        declare(module.resources, `resource "${type}" "${name}"`, `${type}.${name}`, body);
      }
    }
    for (const [type, named] of Object.entries(asObject(json.data))) {
      for (const [name, body] of labelled(named)) {
        declare(module.data, `data "${type}" "${name}"`, `${type}.${name}`, body);
      }
    }
    for (const [, body] of labelled(json.provider)) module.providers.push({ file, body });
  }
  return module;
}

/** Checks one module directory; `modules` caches the directories its module blocks call. */
export async function checkModule(
  dir: string,
  modules = new Map<string, Promise<TerraformModule>>(),
): Promise<Problem[]> {
  const load = (moduleDir: string) => {
    const key = path.resolve(moduleDir);
    if (!modules.has(key)) modules.set(key, loadModule(key));
    return modules.get(key)!;
  };
  const module = await load(dir);
  const problems = [...module.problems];
  const report = (file: string, where: string, message: string) => problems.push({ file, where, message });

  for (const [name, { file, body }] of module.variables) {
    if (typeof body.description !== "string" || !body.description.trim()) {
      report(file, `variable "${name}"`, "has no description");
    }
    if (body.type === undefined) report(file, `variable "${name}"`, "has no type");
  }

  const children = new Map<string, { source: string; module: TerraformModule } | null>();
  for (const [name, { file, body }] of module.modules) {
    const source = body.source;
    if (typeof source !== "string" || !source.startsWith(".")) {
      // Registry and git sources are not checked; a missing source is.
      if (typeof source !== "string") report(file, `module "${name}"`, "has no source");
      children.set(name, null);
      continue;
    }
    const sourceDir = path.resolve(dir, source);
    if (!(await hasTerraform(sourceDir))) {
      report(file, `module "${name}"`, `source ${source} is not a directory with .tf files`);
      children.set(name, null);
      continue;
    }
    const child = await load(sourceDir);
    children.set(name, { source, module: child });
    const given = Object.keys(body).filter((key) => !MODULE_META_ARGUMENTS.has(key));
    for (const argument of given) {
      if (!child.variables.has(argument)) report(file, `module "${name}"`, `${source} has no variable "${argument}"`);
    }
    for (const [variable, declaration] of child.variables) {
      if (!("default" in declaration.body) && !given.includes(variable)) {
        report(file, `module "${name}"`, `required variable "${variable}" of ${source} is not given`);
      }
    }
  }

  const resolve = (file: string, where: string, reference: Traversal) => {
    const message = unresolved(module, children, reference);
    if (message) report(file, where, message);
  };
  for (const { file, where, value, skip } of scannedValues(module)) {
    walk(value, new Set(), skip, (template, bound) => {
      for (const reference of referencesIn(template, bound)) resolve(file, where, reference);
    });
  }
  return problems;
}

/** Checks every module directory under `root` (environments and modules alike). */
export async function checkTerraform(root: string): Promise<Problem[]> {
  const dirs = await terraformDirs(root);
  if (dirs.length === 0) return [{ file: root, where: "", message: "holds no .tf files" }];
  const modules = new Map<string, Promise<TerraformModule>>();
  const problems: Problem[] = [];
  for (const dir of dirs) problems.push(...(await checkModule(dir, modules)));
  return problems;
}

export function formatProblem(problem: Problem, cwd = process.cwd()): string {
  const where = problem.where ? `${problem.where}: ` : "";
  return `${path.relative(cwd, problem.file) || problem.file}: ${where}${problem.message}`;
}

export interface CloudRunAppConfig {
  /** Variable name => the raw expression, as hcl2json yields it ("production", "${var.log_level}"). */
  env: Record<string, string>;
  /** Variable name => the secret id expression. */
  secretEnv: Record<string, string>;
}

/**
 * The environment the devflow module gives each Cloud Run app: the `env` and `secret_env` object
 * literals of its module blocks "web", "worker" and "migrate".
 */
export async function cloudRunApps(
  devflowModuleDir: string,
): Promise<{ web: CloudRunAppConfig; worker: CloudRunAppConfig; migrate: CloudRunAppConfig }> {
  const module = await loadModule(devflowModuleDir);
  const app = (name: string): CloudRunAppConfig => {
    const block = module.modules.get(name);
    if (!block) throw new Error(`${devflowModuleDir} has no module "${name}"`);
    return {
      env: literalObject(block.body.env, `module "${name}" env`),
      secretEnv: literalObject(block.body.secret_env, `module "${name}" secret_env`),
    };
  };
  return { web: app("web"), worker: app("worker"), migrate: app("migrate") };
}

/** The keys of the environment's `k8s_values` output (its value must be an object literal). */
export async function k8sValueKeys(environmentDir: string): Promise<string[]> {
  const module = await loadModule(environmentDir);
  const output = module.outputs.get("k8s_values");
  if (!output) throw new Error(`${environmentDir} has no output "k8s_values"`);
  return Object.keys(literalObject(output.body.value, 'output "k8s_values" value'));
}

function literalObject(value: unknown, what: string): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${what} must be an object literal with literal keys, not ${JSON.stringify(value)}`);
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, String(item)]));
}

/** Why a reference does not resolve in this module, or null when it does. */
function unresolved(
  module: TerraformModule,
  children: Map<string, { source: string; module: TerraformModule } | null>,
  reference: Traversal,
) {
  const [root, first, second] = reference;
  const names = reference.filter((part): part is string => part !== null);
  if (!root || BUILT_IN_ROOTS.has(root)) return null;
  switch (root) {
    case "var":
      return first && module.variables.has(first) ? null : `var.${first ?? ""} is not declared`;
    case "local":
      return first && module.locals.has(first) ? null : `local.${first ?? ""} is not defined`;
    case "data":
      return first && second && module.data.has(`${first}.${second}`)
        ? null
        : `data.${first}.${second} is not declared`;
    case "module": {
      if (!first || !module.modules.has(first)) return `module.${first ?? ""} is not declared`;
      const output = names[2];
      const child = children.get(first);
      if (!output || !child) return null;
      return child.module.outputs.has(output)
        ? null
        : `module.${first}.${output}: ${child.source} has no output "${output}"`;
    }
    default:
      if (first === undefined) return `"${root}" is not a variable, local, resource or bound name`;
      if (first === null) return `${root}[…] is not a reference Terraform knows`;
      return module.resources.has(`${root}.${first}`) ? null : `${root}.${first} is not declared in this module`;
  }
}

interface ScannedValue {
  file: string;
  where: string;
  value: unknown;
  /** Attributes of the block itself not to scan (names, not expressions). */
  skip: ReadonlySet<string>;
}

/** What may hold references, block by block; `terraform` blocks and variable types hold none. */
function* scannedValues(module: TerraformModule): Generator<ScannedValue> {
  const none = new Set<string>();
  for (const [name, { file, body }] of module.variables) {
    yield { file, where: `variable "${name}"`, value: body.validation, skip: none };
  }
  for (const [name, { file, body }] of module.locals) yield { file, where: `local.${name}`, value: body, skip: none };
  for (const [name, { file, body }] of module.outputs)
    yield { file, where: `output "${name}"`, value: body, skip: none };
  for (const [name, { file, body }] of module.modules) {
    yield { file, where: `module "${name}"`, value: body, skip: new Set(["source", "version", "providers"]) };
  }
  for (const [key, { file, body }] of module.resources) {
    yield { file, where: `resource ${quoted(key)}`, value: body, skip: new Set(["provider"]) };
  }
  for (const [key, { file, body }] of module.data) {
    yield { file, where: `data ${quoted(key)}`, value: body, skip: new Set(["provider"]) };
  }
  for (const { file, body } of module.providers)
    yield { file, where: "provider", value: body, skip: new Set(["alias"]) };
}

/**
 * Calls `visit` with every template in a value: strings, and object keys that interpolate. A
 * dynamic block's iterator is bound inside its content; lifecycle's ignore_changes lists
 * attribute names, not references.
 */
function walk(
  value: unknown,
  bound: ReadonlySet<string>,
  skip: ReadonlySet<string>,
  visit: (template: string, bound: ReadonlySet<string>) => void,
) {
  const none = new Set<string>();
  if (typeof value === "string") {
    visit(value, bound);
  } else if (Array.isArray(value)) {
    for (const item of value) walk(item, bound, skip, visit);
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (skip.has(key)) continue;
      if (key.includes("${")) visit(key, bound);
      if (key === "dynamic") {
        for (const [label, body] of labelled(item)) {
          const iterator = typeof body.iterator === "string" ? body.iterator.replace(/^\$\{(.*)\}$/, "$1") : label;
          walk(body, bound, new Set(["iterator", "content"]), visit);
          walk(body.content, new Set([...bound, iterator]), none, visit);
        }
      } else if (key === "lifecycle") {
        walk(item, bound, new Set(["ignore_changes"]), visit);
      } else {
        walk(item, bound, none, visit);
      }
    }
  }
}

/** hcl2json's `{ label: [body, …] }` as [label, body] pairs. */
function labelled(value: unknown): [string, Body][] {
  return Object.entries(asObject(value)).flatMap(([label, bodies]) =>
    blocks(bodies).map((body): [string, Body] => [label, body]),
  );
}

function blocks(value: unknown): Body[] {
  return Array.isArray(value) ? value.filter((body): body is Body => !!body && typeof body === "object") : [];
}

function asObject(value: unknown): Body {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Body) : {};
}

function quoted(key: string): string {
  const dot = key.indexOf(".");
  return `"${key.slice(0, dot)}" "${key.slice(dot + 1)}"`;
}

async function hasTerraform(dir: string): Promise<boolean> {
  const info = await stat(dir).catch(() => null);
  return !!info?.isDirectory() && (await readdir(dir)).some((name) => name.endsWith(".tf"));
}

/** Directories holding .tf files, skipping hidden ones (.terraform holds downloaded modules). */
async function terraformDirs(root: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(root, { withFileTypes: true });
  if (entries.some((entry) => entry.isFile() && entry.name.endsWith(".tf"))) found.push(path.resolve(root));
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory() && !entry.name.startsWith("."))
      found.push(...(await terraformDirs(path.join(root, entry.name))));
  }
  return found;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = process.argv[2] ?? "terraform";
  const problems = await checkTerraform(root);
  for (const problem of problems) console.error(formatProblem(problem));
  console.log(problems.length ? `${problems.length} problem(s) in ${root}` : `${root}: no problems`);
  process.exitCode = problems.length ? 1 : 0;
}
