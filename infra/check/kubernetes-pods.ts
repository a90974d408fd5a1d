/**
 * How DevFlow's pods must run, checked on each Deployment's pod template: probes on the apps'
 * health routes, requests and limits, the hardened security context, a grace period that covers
 * the drain, and secret files that a mounted SecretProviderClass really provides.
 */
import YAML from "yaml";
import { array, record, type KubeObject } from "./kubernetes-objects";

/** The user and group the images run as. */
export const APP_UID = 10001;

const SECRETS_DRIVER = "secrets-store-gke.csi.k8s.io";

type Say = (message: string) => void;

/**
 * @param secretProviderClass finds a SecretProviderClass of the Deployment's namespace by name.
 * @param report receives each problem, phrased without the Deployment's name.
 */
export function checkPodTemplate(
  deployment: KubeObject,
  secretProviderClass: (name: unknown) => KubeObject | undefined,
  report: Say,
): void {
  const pod = record(record(record(deployment.spec).template).spec);
  for (const container of array(pod.containers).map(record)) {
    const say = (message: string) => report(`container ${String(container.name)}: ${message}`);
    checkProbes(container, say);
    checkResources(container, say);
    checkSecurity(record(container.securityContext), record(pod.securityContext), say);
    checkShutdown(container, pod, say);
    checkSecretFiles(container, array(pod.volumes).map(record), secretProviderClass, say);
  }
}

function checkProbes(container: Record<string, unknown>, say: Say) {
  const ports = array(container.ports).map(record);
  for (const kind of ["readinessProbe", "livenessProbe"] as const) {
    const get = record(record(container[kind]).httpGet);
    if (typeof get.path !== "string" || !get.path.startsWith("/health/")) {
      say(`${kind} must be an HTTP GET of /health/*`);
    } else if (!ports.some((p) => p.name === get.port || p.containerPort === get.port)) {
      say(`${kind} uses port ${String(get.port)}, which the container does not expose`);
    }
  }
}

function checkResources(container: Record<string, unknown>, say: Say) {
  const resources = record(container.resources);
  for (const part of ["requests", "limits"] as const) {
    for (const resource of ["cpu", "memory"]) {
      if (record(resources[part])[resource] === undefined) say(`resources.${part}.${resource} is not set`);
    }
  }
}

/** The container's own settings win over the pod's, as in Kubernetes. */
function checkSecurity(container: Record<string, unknown>, pod: Record<string, unknown>, say: Say) {
  const effective = (key: string) => container[key] ?? pod[key];
  const capabilities = record(container.capabilities);
  if (effective("runAsNonRoot") !== true) say("securityContext.runAsNonRoot must be true");
  if (effective("runAsUser") !== APP_UID) say(`securityContext.runAsUser must be ${APP_UID}`);
  if (effective("runAsGroup") !== APP_UID) say(`securityContext.runAsGroup must be ${APP_UID}`);
  if (record(effective("seccompProfile")).type !== "RuntimeDefault") say("seccompProfile must be RuntimeDefault");
  if (container.readOnlyRootFilesystem !== true) say("securityContext.readOnlyRootFilesystem must be true");
  if (container.allowPrivilegeEscalation !== false) say("securityContext.allowPrivilegeEscalation must be false");
  if (!array(capabilities.drop).includes("ALL")) say("securityContext.capabilities.drop must include ALL");
  if (array(capabilities.add).length > 0) say("securityContext.capabilities.add must be empty");
}

/** The grace period must cover the preStop sleep and the app's own drain (SHUTDOWN_TIMEOUT_MS). */
function checkShutdown(container: Record<string, unknown>, pod: Record<string, unknown>, say: Say) {
  const env = array(container.env).map(record);
  const shutdownMs = Number(env.find((e) => e.name === "SHUTDOWN_TIMEOUT_MS")?.value);
  if (!Number.isFinite(shutdownMs)) return say("SHUTDOWN_TIMEOUT_MS is not set");
  const preStop = record(record(container.lifecycle).preStop);
  if (Object.keys(preStop).length === 0) say("has no preStop hook to let the load balancer stop routing first");
  const sleepSeconds = Number(record(preStop.sleep).seconds ?? 0);
  const grace = Number(pod.terminationGracePeriodSeconds ?? 30);
  if (grace <= sleepSeconds + shutdownMs / 1000) {
    say(
      `terminationGracePeriodSeconds (${grace}) must exceed the preStop sleep plus SHUTDOWN_TIMEOUT_MS ` +
        `(${sleepSeconds} s + ${shutdownMs / 1000} s)`,
    );
  }
}

/** Each `*_FILE` variable must name a file that a mounted SecretProviderClass provides. */
function checkSecretFiles(
  container: Record<string, unknown>,
  volumes: Record<string, unknown>[],
  secretProviderClass: (name: unknown) => KubeObject | undefined,
  say: Say,
) {
  const mounts = array(container.volumeMounts).map(record);
  const provided = new Set<string>();
  for (const volume of volumes.filter((v) => record(v.csi).driver === SECRETS_DRIVER)) {
    const mount = mounts.find((m) => m.name === volume.name);
    if (!mount) {
      say(`the secrets volume ${String(volume.name)} is not mounted`);
      continue;
    }
    if (mount.readOnly !== true) say(`the secrets volume ${String(volume.name)} must be mounted read-only`);
    const className = record(record(volume.csi).volumeAttributes).secretProviderClass;
    const spc = secretProviderClass(className);
    if (!spc) {
      say(`volume ${String(volume.name)} uses SecretProviderClass ${String(className)}, which does not exist`);
      continue;
    }
    for (const file of secretPaths(spc)) provided.add(`${String(mount.mountPath)}/${file}`);
  }
  for (const variable of array(container.env).map(record)) {
    if (typeof variable.name !== "string" || !variable.name.endsWith("_FILE")) continue;
    if (!provided.has(String(variable.value))) {
      say(`${variable.name}=${String(variable.value)} is not a file any mounted SecretProviderClass provides`);
    }
  }
}

function secretPaths(spc: KubeObject): string[] {
  try {
    const secrets: unknown = YAML.parse(String(record(record(spc.spec).parameters).secrets ?? ""));
    return array(secrets).map((s) => String(record(s).path));
  } catch {
    return []; // the schema check reports it
  }
}
