/**
 * What each deployed program is started with, read from the deploy files themselves: the Cloud Run
 * services and migrate job in terraform/modules/devflow, the GKE Deployments in infra/k8s, and the
 * ENV lines of the image each runs. The config-coverage test compares this with the apps' config
 * schemas, and the production-start test starts each app with exactly these variables.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { runtimeStage, type RuntimeStage } from "./dockerfiles";
import { loadManifests } from "./kubernetes";
import { isRecord, record, type Located } from "./kubernetes-objects";
import { cloudRunApps } from "./terraform";

export const DEPLOYED = ["web", "worker", "migrate", "collab", "ai"] as const;
export type Deployed = (typeof DEPLOYED)[number];

/** The image each deployed program runs; the migrate job runs the worker's image with another command. */
export const IMAGE_OF: Record<Deployed, "web" | "worker" | "collab" | "ai"> = {
  web: "web",
  worker: "worker",
  migrate: "worker",
  collab: "collab",
  ai: "ai",
};

/** Where the platform runs it, which decides how secrets arrive (env vars on Cloud Run, files on GKE). */
export const PLATFORM_OF: Record<Deployed, "cloud-run" | "gke"> = {
  web: "cloud-run",
  worker: "cloud-run",
  migrate: "cloud-run",
  collab: "gke",
  ai: "gke",
};

export interface DeployedEnvironment {
  /** Variables the deploy files set to a value (plain settings, and secrets on Cloud Run). */
  variables: string[];
  /** Variables the deploy files supply as files: name => the path its `<name>_FILE` points at. */
  files: Record<string, string>;
  /** The ENV lines of the image it runs. */
  image: Record<string, string>;
  /** The image's start-up: working directory and command (the migrate job's command replaces CMD). */
  runtime: RuntimeStage;
}

const repoRoot = path.resolve(import.meta.dirname, "..", "..");
export const DEVFLOW_MODULE_DIR = path.join(repoRoot, "terraform", "modules", "devflow");
export const DOCKER_DIR = path.join(repoRoot, "infra", "docker");

/** The migrate job's command (terraform/modules/devflow sets the same on the Cloud Run job). */
export const MIGRATE_COMMAND = ["node", "migrate.mjs"];

export async function deployedEnvironments(): Promise<Record<Deployed, DeployedEnvironment>> {
  const cloudRun = await cloudRunApps(DEVFLOW_MODULE_DIR);
  const manifests = loadManifests();
  const environment = (app: Deployed): DeployedEnvironment => {
    const runtime = runtimeStage(readFileSync(path.join(DOCKER_DIR, `${IMAGE_OF[app]}.Dockerfile`), "utf8"));
    if (app === "migrate") runtime.cmd = MIGRATE_COMMAND;
    const set =
      app === "collab" || app === "ai"
        ? podEnvironment(manifests, app)
        : {
            variables: [...Object.keys(cloudRun[app].env), ...Object.keys(cloudRun[app].secretEnv)],
            files: {},
          };
    return { ...set, image: runtime.env, runtime };
  };
  return Object.fromEntries(DEPLOYED.map((app) => [app, environment(app)])) as Record<Deployed, DeployedEnvironment>;
}

const FILE_SUFFIX = "_FILE";

/** The env of the Deployment's container named after the app; `X_FILE` entries become files. */
function podEnvironment(manifests: readonly Located[], app: string): Pick<DeployedEnvironment, "variables" | "files"> {
  const deployment = manifests.find(
    ({ object }) => object.kind === "Deployment" && record(object.metadata).name === app,
  );
  if (!deployment) throw new Error(`infra/k8s has no Deployment named ${app}`);
  const pod = record(record(record(deployment.object.spec).template).spec);
  const containers = (Array.isArray(pod.containers) ? pod.containers : []).filter(isRecord);
  const container = containers.find((c) => c.name === app) ?? containers[0];
  if (!container) throw new Error(`Deployment ${app} has no containers`);
  const variables: string[] = [];
  const files: Record<string, string> = {};
  for (const entry of (Array.isArray(container.env) ? container.env : []).filter(isRecord)) {
    const name = String(entry.name);
    if (name.endsWith(FILE_SUFFIX) && typeof entry.value === "string")
      files[name.slice(0, -FILE_SUFFIX.length)] = entry.value;
    else variables.push(name);
  }
  return { variables, files };
}
