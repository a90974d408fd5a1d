/**
 * Schema validation per kind: the Kubernetes models (types, required fields, enums, formats) plus
 * the strict unknown-field check. Only the kinds DevFlow deploys are registered; an object of any
 * other kind is reported, so adding one means adding its schema here.
 *
 * PodMonitoring (Managed Prometheus) and SecretProviderClass (Secret Manager add-on) have no
 * published models, so they get a small explicit shape check below instead; only their metadata is
 * held to a Kubernetes field list (ObjectMeta's).
 */
import { BackendConfig } from "@kubernetes-models/gke/cloud.google.com/v1/BackendConfig";
import { ManagedCertificate } from "@kubernetes-models/gke/networking.gke.io/v1/ManagedCertificate";
import { FrontendConfig } from "@kubernetes-models/gke/networking.gke.io/v1beta1/FrontendConfig";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import YAML from "yaml";
import { createFieldChecker, type FieldChecker, type TypeRef } from "./kubernetes-fields";
import { isRecord, type KubeObject } from "./kubernetes-objects";

interface Schema {
  /** Returns problems, each prefixed with the field path where it can be. */
  validate(object: KubeObject): string[];
  /** What the strict field check compares the object with. */
  fields: TypeRef;
}

type ModelClass<T> = new (data: T) => { validate(): void };

function model<T>(Model: ModelClass<T>, module: string): Schema {
  return {
    validate(object) {
      try {
        new Model(object as T).validate();
        return [];
      } catch (error) {
        return schemaErrors(error);
      }
    },
    fields: { module, name: `I${module.split("/").pop()}` },
  };
}

const METADATA: TypeRef = { module: "kubernetes-models/v1/Namespace", name: "INamespace", property: "metadata" };

function customResource(checkSpec: (spec: unknown) => string[]): Schema {
  return {
    validate: (object) => {
      const unknown = Object.keys(object).filter((key) => !["apiVersion", "kind", "metadata", "spec"].includes(key));
      return [
        ...unknown.map((key) => `${key}: unknown field`),
        ...checkMetadata(object.metadata),
        ...checkSpec(object.spec).map((p) => `spec${p}`),
      ];
    },
    fields: METADATA,
  };
}

const SCHEMAS: Record<string, Schema> = {
  "v1/Namespace": model(Namespace, "kubernetes-models/v1/Namespace"),
  "v1/ServiceAccount": model(ServiceAccount, "kubernetes-models/v1/ServiceAccount"),
  "v1/Service": model(Service, "kubernetes-models/v1/Service"),
  "apps/v1/Deployment": model(Deployment, "kubernetes-models/apps/v1/Deployment"),
  "autoscaling/v2/HorizontalPodAutoscaler": model(
    HorizontalPodAutoscaler,
    "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler",
  ),
  "policy/v1/PodDisruptionBudget": model(PodDisruptionBudget, "kubernetes-models/policy/v1/PodDisruptionBudget"),
  "networking.k8s.io/v1/NetworkPolicy": model(NetworkPolicy, "kubernetes-models/networking.k8s.io/v1/NetworkPolicy"),
  "networking.k8s.io/v1/Ingress": model(Ingress, "kubernetes-models/networking.k8s.io/v1/Ingress"),
  "cloud.google.com/v1/BackendConfig": model(BackendConfig, "@kubernetes-models/gke/cloud.google.com/v1/BackendConfig"),
  "networking.gke.io/v1/ManagedCertificate": model(
    ManagedCertificate,
    "@kubernetes-models/gke/networking.gke.io/v1/ManagedCertificate",
  ),
  "networking.gke.io/v1beta1/FrontendConfig": model(
    FrontendConfig,
    "@kubernetes-models/gke/networking.gke.io/v1beta1/FrontendConfig",
  ),
  "monitoring.googleapis.com/v1/PodMonitoring": customResource(checkPodMonitoringSpec),
  "secrets-store.csi.x-k8s.io/v1/SecretProviderClass": customResource(checkSecretProviderClassSpec),
};

let fieldChecker: FieldChecker | undefined;

/** Every schema problem of one object: unknown kind, schema violations, unknown fields. */
export function validateObject(object: KubeObject): string[] {
  const schema = SCHEMAS[`${String(object.apiVersion)}/${String(object.kind)}`];
  if (!schema) {
    return [`no schema for apiVersion ${String(object.apiVersion)} kind ${String(object.kind)}`];
  }
  // Loading the field lists compiles the models' declarations: done once, on first use.
  fieldChecker ??= createFieldChecker(Object.values(SCHEMAS).map((s) => s.fields));
  const strictInput = schema.fields.property ? object[schema.fields.property] : object;
  const prefix = schema.fields.property ? `${schema.fields.property}.` : "";
  return [...schema.validate(object), ...fieldChecker(strictInput, schema.fields).map((p) => `${prefix}${p}`)];
}

/** The validators throw one error whose `errors` are Ajv's: `{ instancePath, message }`. */
function schemaErrors(error: unknown): string[] {
  const details = (error as { errors?: { instancePath?: string; message?: string }[] }).errors;
  if (!Array.isArray(details) || details.length === 0) return [String((error as Error).message ?? error)];
  return details.map(({ instancePath = "", message = "is invalid" }) => {
    const at = fieldPath(instancePath);
    return at ? `${at}: ${message}` : message;
  });
}

/** A JSON pointer as the field checker writes paths: `/spec/ports/0/name` is `spec.ports[0].name`. */
function fieldPath(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce((at, segment) => (/^\d+$/.test(segment) ? `${at}[${segment}]` : at ? `${at}.${segment}` : segment), "");
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkMetadata(metadata: unknown): string[] {
  if (!isRecord(metadata)) return ["metadata: must be an object"];
  const problems: string[] = [];
  if (typeof metadata.name !== "string" || !DNS_SUBDOMAIN.test(metadata.name) || metadata.name.length > 253) {
    problems.push("metadata.name: must be a DNS subdomain name");
  }
  for (const map of ["labels", "annotations"] as const) {
    const entries = metadata[map];
    if (entries !== undefined && (!isRecord(entries) || Object.values(entries).some((v) => typeof v !== "string"))) {
      problems.push(`metadata.${map}: must map names to strings`);
    }
  }
  return problems;
}

/** monitoring.googleapis.com/v1 PodMonitoring, the fields Managed Prometheus documents. */
function checkPodMonitoringSpec(spec: unknown): string[] {
  if (!isRecord(spec)) return [": must be an object"];
  const problems = unknownKeys(spec, ["selector", "endpoints", "targetLabels", "limits", "filterRunning"], "");
  if (!isRecord(spec.selector)) problems.push(".selector: required");
  else problems.push(...unknownKeys(spec.selector, ["matchLabels", "matchExpressions"], ".selector"));
  if (!Array.isArray(spec.endpoints) || spec.endpoints.length === 0) {
    return [...problems, ".endpoints: at least one endpoint is required"];
  }
  spec.endpoints.forEach((endpoint: unknown, i) => {
    const at = `.endpoints[${i}]`;
    if (!isRecord(endpoint)) return void problems.push(`${at}: must be an object`);
    problems.push(
      ...unknownKeys(
        endpoint,
        [
          "port",
          "scheme",
          "path",
          "params",
          "interval",
          "timeout",
          "metricRelabeling",
          "proxyUrl",
          "authorization",
          "basicAuth",
          "oauth2",
          "tls",
        ],
        at,
      ),
    );
    if (typeof endpoint.port !== "string" && !Number.isInteger(endpoint.port)) {
      problems.push(`${at}.port: required, a port name or number`);
    }
    if (endpoint.path !== undefined && (typeof endpoint.path !== "string" || !endpoint.path.startsWith("/"))) {
      problems.push(`${at}.path: must be an absolute path`);
    }
    for (const duration of ["interval", "timeout"] as const) {
      const value = endpoint[duration];
      if (value !== undefined && (typeof value !== "string" || !/^\d+(ms|s|m|h)$/.test(value))) {
        problems.push(`${at}.${duration}: must be a duration such as 30s`);
      }
    }
  });
  return problems;
}

/** secrets-store.csi.x-k8s.io/v1 SecretProviderClass as the GKE Secret Manager add-on reads it. */
function checkSecretProviderClassSpec(spec: unknown): string[] {
  if (!isRecord(spec)) return [": must be an object"];
  const problems = unknownKeys(spec, ["provider", "parameters"], "");
  if (spec.provider !== "gke") problems.push('.provider: must be "gke" (the GKE Secret Manager add-on)');
  if (!isRecord(spec.parameters)) return [...problems, ".parameters: required"];
  problems.push(...unknownKeys(spec.parameters, ["secrets"], ".parameters"));
  if (typeof spec.parameters.secrets !== "string") return [...problems, ".parameters.secrets: must be a YAML string"];
  let secrets: unknown;
  try {
    secrets = YAML.parse(spec.parameters.secrets);
  } catch (error) {
    return [...problems, `.parameters.secrets: not YAML: ${(error as Error).message}`];
  }
  if (!Array.isArray(secrets) || secrets.length === 0) return [...problems, ".parameters.secrets: must list secrets"];
  const paths = new Set<string>();
  secrets.forEach((secret: unknown, i) => {
    const at = `.parameters.secrets[${i}]`;
    if (!isRecord(secret)) return void problems.push(`${at}: must be an object`);
    problems.push(...unknownKeys(secret, ["resourceName", "path"], at));
    const { resourceName, path } = secret;
    if (typeof resourceName !== "string" || !/^projects\/[^/]+\/secrets\/[^/]+\/versions\/[^/]+$/.test(resourceName)) {
      problems.push(`${at}.resourceName: must be projects/<project>/secrets/<secret>/versions/<version>`);
    }
    if (typeof path !== "string" || !/^[A-Za-z0-9._-]+$/.test(path)) {
      problems.push(`${at}.path: must be a plain file name`);
    } else if (paths.has(path)) {
      problems.push(`${at}.path: ${path} is used twice`);
    } else {
      paths.add(path);
    }
  });
  return problems;
}

function unknownKeys(object: Record<string, unknown>, known: readonly string[], at: string): string[] {
  return Object.keys(object)
    .filter((key) => !known.includes(key))
    .map((key) => `${at}.${key}: unknown field`);
}
