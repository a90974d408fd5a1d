/**
 * Checks infra/k8s without a cluster:  tsx infra/check/kubernetes.ts [--dir infra/k8s]
 *
 * Renders the manifests with a sample of every contract value (so a placeholder outside the
 * contract fails), parses each YAML document, validates it against the Kubernetes schemas of its
 * kind with unknown fields refused, and checks the objects against each other and against how
 * DevFlow's pods must run (probes, limits, hardening, shutdown timing, secret files).
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import YAML from "yaml";
import { DEFAULT_MANIFEST_DIR, readManifestDir, renderManifests, RenderError } from "../deploy/render-k8s";
import { checkConsistency } from "./kubernetes-consistency";
import { isRecord, record, type Located } from "./kubernetes-objects";
import { SAMPLE_IMAGE_TAG, SAMPLE_K8S_VALUES } from "./kubernetes-sample-values";
import { validateObject } from "./kubernetes-schemas";

/** Renders each file with the sample values and returns its documents, located for messages. */
export function loadManifests(dir: string = DEFAULT_MANIFEST_DIR): Located[] {
  const values = { ...SAMPLE_K8S_VALUES, IMAGE_TAG: SAMPLE_IMAGE_TAG };
  const located: Located[] = [];
  for (const file of readManifestDir(dir)) {
    const rendered = renderManifests([file], values);
    YAML.parseAllDocuments(rendered).forEach((document, i) => {
      const object: unknown = document.toJSON();
      if (object === null || object === undefined) return; // an empty document (a stray ---)
      const label = isRecord(object) ? `${String(object.kind)}/${String(record(object.metadata).name)}` : `#${i + 1}`;
      located.push({ where: `${file.name} ${label}`, object: isRecord(object) ? object : { value: object } });
    });
  }
  return located;
}

/** Every problem in the set, each naming its file and object; empty when the manifests are good. */
export function checkManifests(objects: readonly Located[]): string[] {
  const problems = objects.flatMap(({ where, object }) => validateObject(object).map((p) => `${where}: ${p}`));
  return [...problems, ...checkConsistency(objects)];
}

function main(argv: string[]): number {
  const { values: args } = parseArgs({
    args: argv,
    options: { dir: { type: "string", default: DEFAULT_MANIFEST_DIR } },
  });
  const dir = path.resolve(args.dir);
  const objects = loadManifests(dir);
  const problems = checkManifests(objects);
  if (problems.length > 0) {
    process.stderr.write(`Kubernetes manifests in ${dir}: ${problems.length} problem(s)\n`);
    for (const problem of problems) process.stderr.write(`  - ${problem}\n`);
    return 1;
  }
  process.stdout.write(`Kubernetes manifests in ${dir}: ${objects.length} objects valid\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof RenderError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
