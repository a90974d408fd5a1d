/**
 * The strict half of schema validation (what `kubeconform -strict` adds): every field of an object
 * must exist in its kind's schema. The kubernetes-models validators accept unknown fields, and the
 * API server would drop them silently (a misspelled `readinesProbe` is simply no probe), so the
 * field lists come from the same packages' type declarations, read with the TypeScript compiler:
 * each interface's properties are the schema's fields, string index signatures are free-form maps
 * (labels, annotations, resource lists).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export interface TypeRef {
  /** A module whose declarations export the interface, e.g. "kubernetes-models/apps/v1/Deployment". */
  module: string;
  /** The exported interface, e.g. "IDeployment". */
  name: string;
  /** Check against one property's type instead of the whole interface, e.g. "metadata". */
  property?: string;
}

export type FieldChecker = (value: unknown, type: TypeRef) => string[];

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Loads every type once (one compiler program), then checks objects against them. */
export function createFieldChecker(types: readonly TypeRef[]): FieldChecker {
  const keyOf = (ref: TypeRef) => `${ref.module}#${ref.name}#${ref.property ?? ""}`;
  const aliases = types.map((ref, i) => {
    const target = ref.property ? `NonNullable<T${i}[${JSON.stringify(ref.property)}]>` : `T${i}`;
    return `import type { ${ref.name} as T${i} } from ${JSON.stringify(ref.module)};\nexport type K${i} = ${target};`;
  });
  // A file that never exists on disk, placed here so that modules resolve from this repository.
  const entry = path.join(HERE, "__kubernetes_types__.ts");
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts"],
    types: [],
    noEmit: true,
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const source = ts.createSourceFile(entry, aliases.join("\n"), ts.ScriptTarget.ES2022, true);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (name, ...rest) => (name === entry ? source : getSourceFile(name, ...rest));
  host.fileExists = (name) => name === entry || fileExists(name);
  const program = ts.createProgram([entry], options, host);
  const checker = program.getTypeChecker();

  const resolved = new Map<string, ts.Type>();
  const problems = ts
    .getPreEmitDiagnostics(program, source)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  if (problems.length > 0) throw new Error(`Cannot load the Kubernetes field lists:\n${problems.join("\n")}`);
  source.statements.filter(ts.isTypeAliasDeclaration).forEach((alias, i) => {
    const type = checker.getTypeAtLocation(alias.name);
    const ref = types[i]!;
    // `any` here would mean the declarations were not found, and every field would pass unseen.
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) {
      throw new Error(`Cannot load the Kubernetes field list ${ref.name} from ${ref.module}`);
    }
    resolved.set(keyOf(ref), type);
  });

  function walk(value: unknown, type: ts.Type, at: string, found: string[]): void {
    if (value === null || typeof value !== "object") return;
    const target = checker.getNonNullableType(type);
    if (target.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
    const members = (target.isUnion() ? target.types : [target]).filter((t) => t.flags & ts.TypeFlags.Object);
    if (Array.isArray(value)) {
      const element = members.map((t) => checker.getIndexInfoOfType(t, ts.IndexKind.Number)?.type).find(Boolean);
      if (element) value.forEach((item, i) => walk(item, element, `${at}[${i}]`, found));
      return;
    }
    // A primitive type where an object stands is a type error, which the schema validators report.
    if (members.length === 0) return;
    for (const [key, child] of Object.entries(value)) {
      const property = members.map((t) => t.getProperty(key)).find(Boolean);
      const fieldType = property
        ? checker.getTypeOfSymbol(property)
        : members.map((t) => checker.getIndexInfoOfType(t, ts.IndexKind.String)?.type).find(Boolean);
      const where = at ? `${at}.${key}` : key;
      if (fieldType) walk(child, fieldType, where, found);
      else found.push(`${where}: unknown field`);
    }
  }

  return (value, ref) => {
    const type = resolved.get(keyOf(ref));
    if (!type) throw new Error(`${ref.name} from ${ref.module} was not loaded`);
    const found: string[] = [];
    walk(value, type, "", found);
    return found;
  };
}
