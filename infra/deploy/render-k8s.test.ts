import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { SAMPLE_IMAGE_TAG, SAMPLE_K8S_VALUES } from "../check/kubernetes-sample-values";
import { parseValues, readManifestDir, renderManifests, RenderError } from "./render-k8s";

const documents = (stream: string) => YAML.parseAllDocuments(stream).map((d) => d.toJSON() as Record<string, unknown>);

function problemsOf(render: () => unknown): readonly string[] {
  try {
    render();
  } catch (error) {
    if (error instanceof RenderError) return error.problems;
    throw error;
  }
  throw new Error("rendered without a complaint");
}

const hpa = {
  name: "hpa.yaml",
  text: [
    "# scales ${APP} between its bounds",
    "apiVersion: autoscaling/v2",
    "kind: HorizontalPodAutoscaler",
    "metadata:",
    '  name: "${APP}"',
    "spec:",
    "  minReplicas: ${MIN}",
    "  maxReplicas: ${MAX}",
    "",
  ].join("\n"),
};

describe("renderManifests", () => {
  it("substitutes every placeholder, comments included, and joins the files into one stream", () => {
    const other = { name: "sa.yaml", text: 'kind: ServiceAccount\nmetadata:\n  name: "${APP}"\n' };
    const stream = renderManifests([hpa, other], { APP: "collab", MIN: "2", MAX: 20 });
    expect(stream).not.toContain("${");
    expect(stream).toContain("# scales collab between its bounds");
    expect(documents(stream)).toEqual([
      {
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: { name: "collab" },
        spec: { minReplicas: 2, maxReplicas: 20 },
      },
      { kind: "ServiceAccount", metadata: { name: "collab" } },
    ]);
  });

  it("keeps numbers written unquoted as numbers and quoted ones as strings", () => {
    const text = 'replicas: ${N}\nvalue: "${N}"\nimage: "registry/app:${TAG}"\n';
    const [object] = documents(renderManifests([{ name: "a.yaml", text }], { N: "25000", TAG: "20260514" }));
    expect(object).toEqual({ replicas: 25000, value: "25000", image: "registry/app:20260514" });
  });

  it("fails naming every placeholder without a value and the files using it", () => {
    const other = { name: "other.yaml", text: 'a: "${MAX}"\nb: "${ZONE}"\n' };
    expect(problemsOf(() => renderManifests([hpa, other], { APP: "collab" }))).toEqual([
      "no value for ${MAX} (used in hpa.yaml, other.yaml)",
      "no value for ${MIN} (used in hpa.yaml)",
      "no value for ${ZONE} (used in other.yaml)",
    ]);
  });

  it("refuses values that would change the YAML instead of filling it in", () => {
    const text = 'host: "${HOST}"\n';
    expect(() => renderManifests([{ name: "a.yaml", text }], { HOST: 'x"\nevil: true' })).toThrow(
      /the value of HOST contains a quote/,
    );
    // Values no manifest uses are not inspected.
    expect(renderManifests([{ name: "a.yaml", text }], { HOST: "h", UNUSED: 'a"b' })).toBe('host: "h"\n');
  });

  it("refuses a `${` that is not a placeholder, and text that is not YAML after substitution", () => {
    expect(() => renderManifests([{ name: "a.yaml", text: "a: ${ SPACED }\n" }], {})).toThrow(
      /a\.yaml:1: "\$\{" that is not a \$\{NAME\} placeholder/,
    );
    expect(() => renderManifests([{ name: "b.yaml", text: "a: [${V}\n" }], { V: "1" })).toThrow(
      /b\.yaml: not valid YAML/,
    );
  });
});

describe("the real manifests", () => {
  const texts = readManifestDir(fileURLToPath(new URL("../k8s", import.meta.url)));
  const values = { ...SAMPLE_K8S_VALUES, IMAGE_TAG: SAMPLE_IMAGE_TAG };

  it("render with the contract's values alone, with typed replica bounds and the image tag", () => {
    const objects = documents(renderManifests(texts, values));
    const hpas = objects.filter((o) => o.kind === "HorizontalPodAutoscaler");
    expect(hpas.map((o) => o.spec)).toEqual(
      expect.arrayContaining([expect.objectContaining({ minReplicas: 2, maxReplicas: 20 })]),
    );
    const images = JSON.stringify(objects).match(/"image":"[^"]+"/g);
    expect(images).toEqual([
      `"image":"${SAMPLE_K8S_VALUES.IMAGE_REGISTRY}/collab:${SAMPLE_IMAGE_TAG}"`,
      `"image":"${SAMPLE_K8S_VALUES.IMAGE_REGISTRY}/ai:${SAMPLE_IMAGE_TAG}"`,
    ]);
    expect(objects[0]?.kind).toBe("Namespace");
  });

  it("need IMAGE_TAG and every contract value they use", () => {
    const { AI_GSA: _unused, ...withoutGsa } = SAMPLE_K8S_VALUES;
    expect(() => renderManifests(texts, withoutGsa)).toThrow(
      /no value for \$\{AI_GSA\}[\s\S]*no value for \$\{IMAGE_TAG\}/,
    );
  });
});

describe("parseValues", () => {
  it("takes the object terraform prints and refuses anything nested", () => {
    expect(parseValues('{"A": "x", "B": 2}', "v.json")).toEqual({ A: "x", B: 2 });
    expect(() => parseValues('{"k8s_values": {"value": {}}}', "v.json")).toThrow(
      /k8s_values must be a string or a number/,
    );
    expect(() => parseValues("[]", "v.json")).toThrow(/must hold a JSON object/);
    expect(() => parseValues("{", "v.json")).toThrow(/v\.json is not JSON/);
  });
});

describe("the command", () => {
  const script = fileURLToPath(new URL("./render-k8s.ts", import.meta.url));
  const run = (args: string[]) =>
    execFileSync(process.execPath, ["--import", "tsx", script, ...args], { encoding: "utf8", stdio: "pipe" });
  const valuesFile = (values: object) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "render-k8s-")), "values.json");
    writeFileSync(file, JSON.stringify(values));
    return file;
  };

  it("prints the stream kubectl applies", () => {
    const stream = run(["--values", valuesFile(SAMPLE_K8S_VALUES), "--tag", SAMPLE_IMAGE_TAG]);
    expect(documents(stream).map((o) => o.kind)).toContain("Deployment");
  });

  it("exits 1 with every missing value named, and refuses a tag that is not one", () => {
    const { COLLAB_HOST: _host, ...values } = SAMPLE_K8S_VALUES;
    expect(() => run(["--values", valuesFile(values), "--tag", "v1"])).toThrow(/no value for \$\{COLLAB_HOST\}/);
    expect(() => run(["--values", valuesFile(SAMPLE_K8S_VALUES), "--tag", "a b"])).toThrow(/is not an image tag/);
  });
});
