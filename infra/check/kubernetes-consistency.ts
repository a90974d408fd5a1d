/**
 * Rules that span objects: each object can be valid on its own and the set still be broken (a
 * Service selecting no pods, an HPA aimed at a renamed Deployment, an Ingress naming a missing
 * certificate). The rules for each pod template live in kubernetes-pods.ts.
 */
import {
  annotation,
  array,
  isRecord,
  nameOf,
  namespaceOf,
  record,
  type KubeObject,
  type Located,
} from "./kubernetes-objects";
import { checkPodTemplate } from "./kubernetes-pods";

type Labels = Record<string, string>;
interface Selector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** What every rule needs: the whole set, lookups into it, and where to report. */
interface Context {
  objects: readonly Located[];
  report(item: Located, message: string): void;
  find(kind: string, namespace: string | undefined, name: unknown): Located | undefined;
  /** The Deployments of a namespace whose pods `selector` selects. */
  selected(namespace: string | undefined, selector: Selector): Located[];
}

export function checkConsistency(objects: readonly Located[]): string[] {
  const problems: string[] = [];
  const context: Context = {
    objects,
    report: (item, message) => problems.push(`${item.where}: ${message}`),
    find: (kind, namespace, name) =>
      objects.find((o) => o.object.kind === kind && namespaceOf(o) === namespace && nameOf(o) === name),
    selected: (namespace, selector) =>
      objects.filter(
        (o) => o.object.kind === "Deployment" && namespaceOf(o) === namespace && matches(selector, podLabels(o.object)),
      ),
  };
  const ofKind = (kind: string) => objects.filter((o) => o.object.kind === kind);
  checkNamespacesAndDuplicates(context);
  for (const deployment of ofKind("Deployment")) checkDeployment(deployment, context);
  for (const service of ofKind("Service")) checkService(service, context);
  for (const hpa of ofKind("HorizontalPodAutoscaler")) checkAutoscaler(hpa, context);
  for (const item of [...ofKind("PodDisruptionBudget"), ...ofKind("PodMonitoring")]) checkSelecting(item, context);
  for (const ingress of ofKind("Ingress")) checkIngress(ingress, context);
  return problems;
}

function checkService(service: Located, { report, find, selected }: Context) {
  const spec = record(service.object.spec);
  const selector = spec.selector as Labels | undefined;
  if (selector) {
    const targets = selected(namespaceOf(service), { matchLabels: selector });
    if (targets.length === 0) report(service, "its selector matches no Deployment's pods");
    for (const port of array(spec.ports).map(record)) {
      const target = port.targetPort ?? port.port;
      for (const deployment of targets.filter((d) => !exposes(d.object, target))) {
        const name = String(port.name ?? port.port);
        report(service, `port ${name} targets ${String(target)}, which ${nameOf(deployment)} does not expose`);
      }
    }
  }
  for (const key of ["cloud.google.com/neg", "cloud.google.com/backend-config"]) {
    if (annotation(service, key) !== undefined && !jsonAnnotation(service, key)) {
      report(service, `annotation ${key} is not a JSON object`);
    }
  }
  const backendConfig = jsonAnnotation(service, "cloud.google.com/backend-config");
  if (!backendConfig) return;
  for (const name of [backendConfig.default, ...Object.values(record(backendConfig.ports))]) {
    if (name !== undefined && !find("BackendConfig", namespaceOf(service), name)) {
      report(service, `BackendConfig ${String(name)} does not exist`);
    }
  }
}

function checkAutoscaler(hpa: Located, { report, find }: Context) {
  const spec = record(hpa.object.spec);
  const ref = record(spec.scaleTargetRef);
  if (ref.apiVersion !== "apps/v1" || ref.kind !== "Deployment" || !find("Deployment", namespaceOf(hpa), ref.name)) {
    report(hpa, `scaleTargetRef ${String(ref.kind)}/${String(ref.name)} is not a Deployment of this set`);
  }
  const { minReplicas, maxReplicas } = spec;
  if (typeof minReplicas === "number" && typeof maxReplicas === "number" && minReplicas > maxReplicas) {
    report(hpa, "minReplicas is above maxReplicas");
  }
}

/** PodDisruptionBudgets and PodMonitorings must select pods, and a PodMonitoring scrape their port. */
function checkSelecting(item: Located, { report, selected }: Context) {
  const spec = record(item.object.spec);
  const targets = selected(namespaceOf(item), record(spec.selector) as Selector);
  if (targets.length === 0) report(item, "its selector matches no Deployment's pods");
  if (item.object.kind !== "PodMonitoring") return;
  for (const endpoint of array(spec.endpoints).map(record)) {
    for (const deployment of targets.filter((d) => !exposes(d.object, endpoint.port))) {
      report(item, `scrapes port ${String(endpoint.port)}, which ${nameOf(deployment)} does not expose`);
    }
  }
}

function checkIngress(ingress: Located, { report, find }: Context) {
  const namespace = namespaceOf(ingress);
  const spec = record(ingress.object.spec);
  const paths = array(spec.rules).flatMap((rule) => array(record(record(rule).http).paths));
  const backends = [spec.defaultBackend, ...paths.map((p) => record(p).backend)].filter((b) => b !== undefined);
  for (const backend of backends.map(record)) {
    const ref = record(backend.service);
    const port = record(ref.port);
    const service = find("Service", namespace, ref.name);
    const ports = array(record(service?.object.spec).ports).map(record);
    if (!service) report(ingress, `backend Service ${String(ref.name)} does not exist`);
    else if (!ports.some((p) => (port.name !== undefined ? p.name === port.name : p.port === port.number))) {
      report(ingress, `backend Service ${String(ref.name)} has no port ${String(port.name ?? port.number)}`);
    } else if (jsonAnnotation(service, "cloud.google.com/neg")?.ingress !== true) {
      report(ingress, `backend Service ${String(ref.name)} lacks the NEG annotation the load balancer needs`);
    }
  }
  const certificates = annotation(ingress, "networking.gke.io/managed-certificates")?.split(",") ?? [];
  for (const name of certificates.map((n) => n.trim())) {
    if (!find("ManagedCertificate", namespace, name)) report(ingress, `ManagedCertificate ${name} does not exist`);
  }
  const frontendConfig = annotation(ingress, "networking.gke.io/v1beta1.FrontendConfig");
  if (frontendConfig && !find("FrontendConfig", namespace, frontendConfig)) {
    report(ingress, `FrontendConfig ${frontendConfig} does not exist`);
  }
}

function checkNamespacesAndDuplicates({ objects, report }: Context) {
  const namespaces = new Set(objects.filter((o) => o.object.kind === "Namespace").map(nameOf));
  const seen = new Set<string>();
  for (const item of objects) {
    const { apiVersion, kind } = item.object;
    const key = `${String(apiVersion).split("/")[0]}/${String(kind)}/${namespaceOf(item) ?? ""}/${nameOf(item)}`;
    if (seen.has(key)) report(item, "declared twice");
    seen.add(key);
    if (kind === "Namespace") continue;
    const namespace = namespaceOf(item);
    // Without one, kubectl would put the object in whatever namespace the caller's context has.
    if (!namespace) report(item, "metadata.namespace is not set");
    else if (!namespaces.has(namespace)) report(item, `namespace ${namespace} is not declared in these manifests`);
  }
}

function checkDeployment(deployment: Located, { report, find }: Context) {
  const spec = record(deployment.object.spec);
  if (!matches(record(spec.selector) as Selector, podLabels(deployment.object))) {
    report(deployment, "spec.selector does not match the pod template's labels");
  }
  const secretProviderClass = (name: unknown) => find("SecretProviderClass", namespaceOf(deployment), name)?.object;
  checkPodTemplate(deployment.object, secretProviderClass, (message) => report(deployment, message));
}

function matches(selector: Selector, labels: Labels): boolean {
  const { matchLabels = {}, matchExpressions = [] } = selector;
  if (Object.keys(matchLabels).length === 0 && matchExpressions.length === 0) return false;
  return (
    Object.entries(matchLabels).every(([key, value]) => labels[key] === value) &&
    matchExpressions.every(({ key, operator, values = [] }) => {
      const has = Object.hasOwn(labels, key);
      if (operator === "In") return has && values.includes(labels[key]!);
      if (operator === "NotIn") return !has || !values.includes(labels[key]!);
      if (operator === "Exists") return has;
      return operator === "DoesNotExist" && !has;
    })
  );
}

function podLabels(deployment: KubeObject): Labels {
  return record(record(record(deployment.spec).template).metadata).labels as Labels;
}

/** Whether a Deployment's containers expose a port, by name or number. */
function exposes(deployment: KubeObject, port: unknown): boolean {
  const containers = array(record(record(record(deployment.spec).template).spec).containers);
  return containers
    .flatMap((c) => array(record(c).ports).map(record))
    .some((p) => p.name === port || p.containerPort === port);
}

function jsonAnnotation(item: Located, key: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(annotation(item, key) ?? "");
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
