/**
 * Lints the apps' Dockerfiles (infra/docker) without a Docker engine: dockerfile-utils checks the
 * syntax and each instruction's arguments as Docker would parse them, and the rules below hold
 * what the deployment relies on (pinned bases, a separate runtime stage, an unprivileged user,
 * exec-form CMD so SIGTERM reaches Node, a health check). `finalStage` reads what the container
 * starts with, for the tests that start each app the same way here.
 */
import { Copy, DockerfileParser, Env, type Instruction } from "dockerfile-ast";
import { validate } from "dockerfile-utils";

export interface DockerfileProblem {
  /** 1-based. */
  line: number;
  message: string;
}

/** What the image's last stage runs, and with what. */
export interface RuntimeStage {
  env: Record<string, string>;
  workdir: string;
  cmd: string[];
  user: string;
  exposedPorts: number[];
}

const DIAGNOSTIC_ERROR = 1;
const ROOT_USERS = new Set(["root", "0", "0:0", "root:root"]);

export function lintDockerfile(text: string): DockerfileProblem[] {
  const problems: DockerfileProblem[] = validate(text)
    .filter((d) => d.severity === DIAGNOSTIC_ERROR)
    .map((d) => ({
      line: d.range.start.line + 1,
      message: typeof d.message === "string" ? d.message : d.message.value,
    }));

  const stages = splitStages(DockerfileParser.parse(text).getInstructions());
  const at = (instruction: Instruction, message: string) =>
    problems.push({ line: instruction.getRange().start.line + 1, message });

  if (stages.length < 2)
    problems.push({ line: 1, message: "expected a multi-stage build: a build stage and a runtime stage" });
  for (const stage of stages) {
    const image = stage.from.getExpandedArguments()[0]?.getValue() ?? "";
    if (!hasPinnedTag(image))
      at(stage.from, `base image "${image}" must name a version tag or digest, not latest or nothing`);
  }
  for (const instruction of stages.flatMap((s) => s.instructions)) {
    const keyword = instruction.getKeyword();
    const args = instruction.getArgumentsContent() ?? "";
    if (keyword === "ADD")
      at(instruction, "use COPY: ADD also fetches URLs and unpacks archives, which a COPY never does by surprise");
    if (keyword === "RUN" && /\bapt-get install\b/.test(args) && !args.includes("--no-install-recommends"))
      at(instruction, "apt-get install without --no-install-recommends pulls in packages nobody asked for");
    if (keyword === "RUN" && /\bnpm ci\b/.test(args))
      at(instruction, "use npm install: the lockfile lacks other platforms' optional binaries");
  }

  const runtime = stages.at(-1);
  if (!runtime) return problems;
  const lastOf = (keyword: string) => runtime.instructions.filter((i) => i.getKeyword() === keyword).at(-1);
  const user = lastOf("USER");
  if (!user) at(runtime.from, "the runtime stage must switch to an unprivileged USER");
  else if (ROOT_USERS.has(user.getArgumentsContent()?.trim() ?? "")) at(user, "the runtime stage must not run as root");
  if (!lastOf("HEALTHCHECK")) at(runtime.from, "the runtime stage needs a HEALTHCHECK");
  const cmd = lastOf("CMD");
  if (!cmd) at(runtime.from, "the runtime stage needs a CMD");
  else if (!(cmd.getArgumentsContent() ?? "").trim().startsWith("["))
    at(cmd, "CMD must be in exec (JSON) form so the app is PID 1 and gets SIGTERM");
  if (!lastOf("EXPOSE")) at(runtime.from, "the runtime stage should EXPOSE the port the app listens on");
  for (const copy of runtime.instructions.filter((i): i is Copy => i instanceof Copy)) {
    if (!copy.getFlags().some((flag) => flag.getName() === "from"))
      at(
        copy,
        "the runtime stage copies only what a build stage produced (COPY --from=<stage>), never the build context",
      );
  }
  return problems;
}

export function runtimeStage(text: string): RuntimeStage {
  const stages = splitStages(DockerfileParser.parse(text).getInstructions());
  const runtime = stages.at(-1);
  if (!runtime) throw new Error("no FROM in the Dockerfile");
  const stage: RuntimeStage = { env: {}, workdir: "/", cmd: [], user: "root", exposedPorts: [] };
  for (const instruction of runtime.instructions) {
    const args = instruction.getExpandedArguments().map((a) => a.getValue());
    switch (instruction.getKeyword()) {
      case "ENV":
        for (const property of (instruction as Env).getProperties()) {
          stage.env[property.getName()] = unquote(property.getValue() ?? "");
        }
        break;
      case "WORKDIR":
        stage.workdir = args[0] ?? stage.workdir;
        break;
      case "USER":
        stage.user = args[0] ?? stage.user;
        break;
      case "EXPOSE":
        stage.exposedPorts.push(...args.map((a) => Number.parseInt(a, 10)));
        break;
      case "CMD":
        stage.cmd = JSON.parse(instruction.getArgumentsContent() ?? "[]") as string[];
        break;
    }
  }
  return stage;
}

function unquote(value: string): string {
  const quoted = value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0];
  return quoted ? value.slice(1, -1) : value;
}

interface Stage {
  from: Instruction;
  instructions: Instruction[];
}

function splitStages(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.getKeyword() === "FROM") stages.push({ from: instruction, instructions: [] });
    else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

/** `node:20.20.2-bookworm-slim` or `image@sha256:…`; not `node`, `node:latest` or another stage's name. */
function hasPinnedTag(image: string): boolean {
  if (image.includes("@sha256:")) return true;
  const lastSegment = image.split("/").at(-1) ?? "";
  const tag = lastSegment.includes(":") ? lastSegment.slice(lastSegment.indexOf(":") + 1) : "";
  return tag !== "" && tag !== "latest" && /\d/.test(tag);
}
