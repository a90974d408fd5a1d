import { beforeAll, describe, expect, it } from "vitest";
import { checkManifests, loadManifests } from "./kubernetes";
import type { Located } from "./kubernetes-objects";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests reach into manifests as loose JSON, as a YAML typo would
type Loose = any;

let manifests: Located[];
beforeAll(() => {
  manifests = loadManifests();
});

/** The real manifests with one object changed by `change`. */
function problemsAfter(kind: string, name: string, change: (object: Loose) => void): string[] {
  const copy = structuredClone(manifests);
  const target = copy.find((o) => o.object.kind === kind && (o.object.metadata as Loose)?.name === name);
  if (!target) throw new Error(`no ${kind}/${name} in the manifests`);
  change(target.object);
  return checkManifests(copy);
}

const container = (deployment: Loose) => deployment.spec.template.spec.containers[0];

describe("infra/k8s", () => {
  it("passes every check", () => {
    expect(checkManifests(manifests)).toEqual([]);
  });

  it("holds what both GKE services need", () => {
    const kinds = (name: string) =>
      manifests
        .filter(
          (o) =>
            (o.object.metadata as Loose)?.name === name || (o.object.metadata as Loose)?.name === `${name}-secrets`,
        )
        .map((o) => o.object.kind)
        .sort();
    const expected = [
      "BackendConfig",
      "Deployment",
      "HorizontalPodAutoscaler",
      "Ingress",
      "ManagedCertificate",
      "PodDisruptionBudget",
      "PodMonitoring",
      "SecretProviderClass",
      "Service",
      "ServiceAccount",
    ];
    expect(kinds("collab")).toEqual(expected);
    expect(kinds("ai")).toEqual(expected);
  });
});

describe("the schema checks", () => {
  it("refuse a misspelled field, which the API server would drop without a word", () => {
    const problems = problemsAfter("Deployment", "collab", (d) => {
      const c = container(d);
      c.readinesProbe = c.readinessProbe;
      delete c.readinessProbe;
    });
    expect(problems).toContain(
      "30-collab.yaml Deployment/collab: spec.template.spec.containers[0].readinesProbe: unknown field",
    );
  });

  it("refuse misspelled fields in GKE resources and in the resources checked by shape", () => {
    expect(problemsAfter("BackendConfig", "collab", (b) => (b.spec.timeoutSecs = 3600))).toEqual([
      "30-collab.yaml BackendConfig/collab: spec.timeoutSecs: unknown field",
    ]);
    expect(problemsAfter("PodMonitoring", "ai", (p) => (p.spec.endpoints[0].intervall = "30s"))).toEqual([
      "40-ai.yaml PodMonitoring/ai: spec.endpoints[0].intervall: unknown field",
    ]);
    expect(problemsAfter("SecretProviderClass", "ai-secrets", (s) => (s.metadata.label = {}))).toEqual([
      "40-ai.yaml SecretProviderClass/ai-secrets: metadata.label: unknown field",
    ]);
  });

  it("refuse a value of the wrong type", () => {
    expect(problemsAfter("Deployment", "ai", (d) => (container(d).ports[0].containerPort = "3002"))).toContain(
      "40-ai.yaml Deployment/ai: spec.template.spec.containers[0].ports[0].containerPort: must be integer",
    );
    expect(problemsAfter("HorizontalPodAutoscaler", "collab", (h) => (h.spec.minReplicas = "two"))).toContain(
      "30-collab.yaml HorizontalPodAutoscaler/collab: spec.minReplicas: must be integer",
    );
  });

  it("refuse a kind nobody registered a schema for", () => {
    const copy = [...manifests, { where: "x.yaml Secret/a", object: { apiVersion: "v1", kind: "Secret" } }];
    expect(checkManifests(copy)).toContain("x.yaml Secret/a: no schema for apiVersion v1 kind Secret");
  });
});

describe("the consistency checks", () => {
  it("refuse a Service whose selector matches no pods", () => {
    expect(
      problemsAfter("Service", "collab", (s) => (s.spec.selector = { "app.kubernetes.io/name": "colab" })),
    ).toEqual(["30-collab.yaml Service/collab: its selector matches no Deployment's pods"]);
  });

  it("refuse a container without readiness and liveness probes on /health/*", () => {
    const problems = problemsAfter("Deployment", "collab", (d) => {
      delete container(d).readinessProbe;
      container(d).livenessProbe.httpGet.path = "/";
    });
    expect(problems).toEqual([
      "30-collab.yaml Deployment/collab: container collab: readinessProbe must be an HTTP GET of /health/*",
      "30-collab.yaml Deployment/collab: container collab: livenessProbe must be an HTTP GET of /health/*",
    ]);
  });

  it("refuse missing limits, weakened hardening and a grace period shorter than the drain", () => {
    const problems = problemsAfter("Deployment", "ai", (d) => {
      delete container(d).resources.limits.memory;
      container(d).securityContext.readOnlyRootFilesystem = false;
      d.spec.template.spec.terminationGracePeriodSeconds = 30;
    });
    expect(problems).toEqual([
      "40-ai.yaml Deployment/ai: container ai: resources.limits.memory is not set",
      "40-ai.yaml Deployment/ai: container ai: securityContext.readOnlyRootFilesystem must be true",
      "40-ai.yaml Deployment/ai: container ai: terminationGracePeriodSeconds (30) must exceed the preStop sleep plus SHUTDOWN_TIMEOUT_MS (20 s + 25 s)",
    ]);
  });

  it("refuse a secret file no SecretProviderClass provides, and a volume naming a missing one", () => {
    const problems = problemsAfter("SecretProviderClass", "ai-secrets", (s) => {
      s.spec.parameters.secrets = s.spec.parameters.secrets.replace('path: "pinecone-api-key"', 'path: "pinecone-key"');
    });
    expect(problems).toEqual([
      "40-ai.yaml Deployment/ai: container ai: PINECONE_API_KEY_FILE=/var/run/secrets/devflow/pinecone-api-key is not a file any mounted SecretProviderClass provides",
    ]);
    const renamed = problemsAfter("SecretProviderClass", "collab-secrets", (s) => (s.metadata.name = "collab-secret"));
    expect(renamed).toContain(
      "30-collab.yaml Deployment/collab: container collab: volume secrets uses SecretProviderClass collab-secrets, which does not exist",
    );
  });

  it("refuse an HPA, a PDB or an Ingress aimed at something that is not there", () => {
    expect(problemsAfter("HorizontalPodAutoscaler", "ai", (h) => (h.spec.scaleTargetRef.name = "assistant"))).toEqual([
      "40-ai.yaml HorizontalPodAutoscaler/ai: scaleTargetRef Deployment/assistant is not a Deployment of this set",
    ]);
    expect(
      problemsAfter("PodDisruptionBudget", "collab", (p) => (p.spec.selector.matchLabels = { app: "collab" })),
    ).toEqual(["30-collab.yaml PodDisruptionBudget/collab: its selector matches no Deployment's pods"]);
    expect(
      problemsAfter("Ingress", "collab", (i) => (i.spec.rules[0].http.paths[0].backend.service.port = { number: 80 })),
    ).toEqual(["30-collab.yaml Ingress/collab: backend Service collab has no port 80"]);
  });
});
