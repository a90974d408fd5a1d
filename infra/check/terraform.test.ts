import { EVENT_TYPES } from "@devflow/contracts";
import { createLogger } from "@devflow/observability";
import { WorkerConfigSchema } from "@devflow/util-config";
import { workerHandlers } from "@devflow/worker";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import {
  checkModule,
  checkTerraform,
  cloudRunApps,
  formatProblem,
  k8sValueKeys,
  loadModule,
  type Problem,
} from "./terraform";

const TERRAFORM = path.resolve(import.meta.dirname, "../../terraform");
const DEVFLOW = path.join(TERRAFORM, "modules/devflow");
const ENVIRONMENTS = ["staging", "production"];
const environmentDir = (name: string) => path.join(TERRAFORM, "environments", name);

describe("terraform/", () => {
  test("every module and environment passes the checks", async () => {
    const problems = await checkTerraform(TERRAFORM);
    expect(problems.map((problem) => formatProblem(problem, TERRAFORM))).toEqual([]);
  });

  test.each(ENVIRONMENTS)("%s outputs k8s_values with exactly the manifests' placeholders", async (name) => {
    expect((await k8sValueKeys(environmentDir(name))).sort()).toEqual(
      [
        "PROJECT_ID",
        "REGION",
        "ENVIRONMENT",
        "IMAGE_REGISTRY",
        "COLLAB_GSA",
        "AI_GSA",
        "COLLAB_HOST",
        "AI_HOST",
        "COLLAB_STATIC_IP",
        "AI_STATIC_IP",
        "PUBLIC_URL",
        "AI_PUBLIC_URL",
        "SERVICE_TOKEN_JWKS_URL",
        "WEB_INTERNAL_URL",
        "SECRET_PREFIX",
        "COLLAB_MIN_REPLICAS",
        "COLLAB_MAX_REPLICAS",
        "AI_MIN_REPLICAS",
        "AI_MAX_REPLICAS",
        "AI_CHAT_PROVIDER",
        "AI_CHAT_MODEL",
        "AI_EMBEDDINGS_PROVIDER",
        "AI_EMBEDDINGS_MODEL",
        "AI_VECTOR_STORE",
        "PINECONE_INDEX_HOST",
      ].sort(),
    );
  });

  test("the Cloud Run apps get the contract's variables and secrets", async () => {
    const apps = await cloudRunApps(DEVFLOW);
    const common = ["DEVFLOW_ENV", "LOG_LEVEL", "DATA_DIR", "SHUTDOWN_TIMEOUT_MS", "NODE_EXTRA_CA_CERTS"];
    const keys = (record: Record<string, string>) => Object.keys(record).sort();
    expect(keys(apps.web.env)).toEqual(
      [
        ...common,
        ...["PUBLIC_URL", "COLLAB_PUBLIC_URL", "WORKER_PUBLIC_URL", "AI_PUBLIC_URL", "MCP_RESOURCE_URL", "BLOB_STORE"],
        ...["GCS_BUCKET", "GCS_PROJECT_ID", "EVENT_BUS", "PUBSUB_PROJECT_ID", "PUBSUB_TOPIC_PREFIX", "MAIL_FROM"],
        ...["GITHUB_CLIENT_ID", "AI_EMBEDDINGS_PROVIDER", "AI_EMBEDDINGS_MODEL", "AI_VECTOR_STORE"],
        ...["PINECONE_INDEX_HOST", "DATABASE_POOL_MAX"],
      ].sort(),
    );
    expect(keys(apps.worker.env)).toEqual(
      [
        ...common,
        ...["PUBLIC_URL", "SERVICE_TOKEN_JWKS_URL", "BLOB_STORE", "GCS_BUCKET", "GCS_PROJECT_ID", "EVENT_BUS"],
        ...["PUBSUB_PROJECT_ID", "PUBSUB_TOPIC_PREFIX", "PUBSUB_DELIVERY", "PUBSUB_PUSH_AUDIENCE"],
        ...["PUBSUB_PUSH_SERVICE_ACCOUNT", "MAIL_FROM", "AI_CHAT_PROVIDER", "AI_CHAT_MODEL", "AI_EMBEDDINGS_PROVIDER"],
        ...["AI_EMBEDDINGS_MODEL", "AI_VECTOR_STORE", "PINECONE_INDEX_HOST", "CLAMAV_HOST", "DATABASE_POOL_MAX"],
      ].sort(),
    );
    expect(keys(apps.migrate.env)).toEqual(["DEVFLOW_ENV"]);
    expect(keys(apps.web.secretEnv)).toEqual(
      [
        ...["DATABASE_URL", "REDIS_URL", "SESSION_SECRET", "ENCRYPTION_KEY", "SERVICE_TOKEN_PRIVATE_KEY", "SMTP_URL"],
        ...["GITHUB_CLIENT_SECRET", "AI_EMBEDDINGS_API_KEY", "PINECONE_API_KEY"],
      ].sort(),
    );
    expect(keys(apps.worker.secretEnv)).toEqual(
      [
        ...["DATABASE_URL", "REDIS_URL", "ENCRYPTION_KEY", "SMTP_URL", "AI_CHAT_API_KEY", "AI_EMBEDDINGS_API_KEY"],
        "PINECONE_API_KEY",
      ].sort(),
    );
    expect(keys(apps.migrate.secretEnv)).toEqual(["DATABASE_APP_PASSWORD", "MIGRATION_DATABASE_URL"]);
  });

  test("each Cloud Run app may read exactly the secrets it is given", async () => {
    const apps = await cloudRunApps(DEVFLOW);
    const users = (await loadModule(DEVFLOW)).locals.get("secret_users")?.body as Record<string, string[]>;
    for (const [app, config] of Object.entries(apps)) {
      const given = Object.values(config.secretEnv).map((expression) => {
        const name = /^\$\{module\.secrets\.ids\["([a-z-]+)"\]\}$/.exec(expression)?.[1];
        expect(name, `${app}: ${expression} should be module.secrets.ids["<name>"]`).toBeDefined();
        return name;
      });
      // Memorystore's CA reaches web and worker as a mounted file (secret_files), not a variable.
      const asFiles = app === "migrate" ? [] : ["redis-ca"];
      const readable = Object.keys(users).filter((secret) => users[secret]?.includes(app));
      expect([...given, ...asFiles].sort(), app).toEqual(readable.sort());
    }
  });

  test("Pub/Sub has a topic per catalog event type and a push subscription per worker handler, as the code has them", async () => {
    const locals = (await loadModule(DEVFLOW)).locals;
    expect([...(locals.get("event_types")?.body as string[])].sort()).toEqual([...EVENT_TYPES].sort());

    const config = WorkerConfigSchema.parse({});
    const handlers = workerHandlers(config, {
      db: {} as never,
      logger: createLogger({ service: "worker", level: "silent" }),
      encryptionKey: async () => new Uint8Array(32),
    });
    const expected = Object.fromEntries(
      handlers.map((handler) => [
        handler.name,
        {
          event_type: handler.type,
          max_attempts: handler.retry?.maxAttempts ?? 5,
          base_delay_seconds: handler.retry?.baseDelaySeconds ?? 5,
          // Pub/Sub's ack deadline is at most 600 s; the bus's own expiry (15 min) does not fit.
          ack_deadline_seconds: Math.min(600, handler.retry?.expireInSeconds ?? 600),
        },
      ]),
    );
    const declared = locals.get("event_handlers")?.body as Record<string, Record<string, unknown>>;
    const withDefaults = Object.fromEntries(
      Object.entries(declared).map(([name, handler]) => [
        name,
        { max_attempts: 5, base_delay_seconds: 5, ack_deadline_seconds: 600, ...handler },
      ]),
    );
    expect(withDefaults).toEqual(expected);
  });

  test("production is the larger, highly available shape", async () => {
    const [staging, production] = await Promise.all(
      ENVIRONMENTS.map(async (name) => (await loadModule(environmentDir(name))).modules.get("devflow")?.body),
    );
    expect(staging).toMatchObject({
      database_high_availability: false,
      redis_tier: "BASIC",
      deletion_protection: false,
    });
    expect(production).toMatchObject({
      database_high_availability: true,
      redis_tier: "STANDARD_HA",
      deletion_protection: true,
    });
  });
});

describe("the checks", () => {
  const roots: string[] = [];
  afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

  /** Writes `files` (path => HCL) into a fresh directory and checks its "root" module. */
  async function check(files: Record<string, string>): Promise<string[]> {
    const root = await mkdtemp(path.join(tmpdir(), "terraform-check-"));
    roots.push(root);
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, name)), { recursive: true });
      await writeFile(path.join(root, name), text);
    }
    const problems: Problem[] = await checkModule(path.join(root, "root"));
    return problems.map((problem) => formatProblem(problem, root));
  }

  const child = {
    "child/variables.tf": `
variable "needed" {
  description = "Has no default."
  type        = string
}

variable "optional" {
  description = "Has one."
  type        = number
  default     = 1
}
`,
    "child/outputs.tf": `
output "name" {
  description = "The child's name."
  value       = var.needed
}
`,
  };

  test("a clean module has no problems", async () => {
    expect(
      await check({
        ...child,
        "root/main.tf": `
variable "names" {
  description = "Names."
  type        = list(object({ name = string }))
}

locals {
  upper = [for item in var.names : upper(item.name) if item.name != "local.not_a_reference"]
  keyed = { for index, item in var.names : item.name => index }
  text  = "$\${var.escaped} and %{ for n in var.names }\${n.name}%{ endfor }"
}

data "google_project" "this" {}

module "child" {
  source   = "../child"
  for_each = local.keyed
  needed   = "\${each.key}-\${data.google_project.this.number}-\${path.module}-\${terraform.workspace}"
}

resource "google_thing" "one" {
  count = 2
  name  = "\${module.child["a"].name}-\${count.index}"
  note  = jsonencode({ key = "var.inside_a_string" })

  dynamic "setting" {
    for_each = local.upper
    iterator = entry
    content {
      value = entry.value
    }
  }

  lifecycle {
    ignore_changes = [name]
  }
}

output "first" {
  description = "The first thing."
  value       = google_thing.one[0].name
  depends_on  = [module.child]
}
`,
      }),
    ).toEqual([]);
  });

  test("an undeclared variable and an undefined local are caught", async () => {
    expect(
      await check({
        "root/main.tf": `
output "x" {
  description = "x"
  value       = "\${var.missing}/\${local.missing}"
}
`,
      }),
    ).toEqual([
      'root/main.tf: output "x": var.missing is not declared',
      'root/main.tf: output "x": local.missing is not defined',
    ]);
  });

  test("an output the child module does not have is caught", async () => {
    expect(
      await check({
        ...child,
        "root/main.tf": `
module "child" {
  source = "../child"
  needed = "x"
}

output "x" {
  description = "x"
  value       = module.child.missing
}
`,
      }),
    ).toEqual(['root/main.tf: output "x": module.child.missing: ../child has no output "missing"']);
  });

  test("unknown and missing module arguments are caught", async () => {
    const problems = await check({
      ...child,
      "root/main.tf": `
module "child" {
  source  = "../child"
  unknown = 1
}
`,
    });
    expect(problems).toEqual([
      'root/main.tf: module "child": ../child has no variable "unknown"',
      'root/main.tf: module "child": required variable "needed" of ../child is not given',
    ]);
  });

  test("a module source that does not exist is caught", async () => {
    expect(await check({ "root/main.tf": `module "gone" {\n  source = "../gone"\n}\n` })).toEqual([
      'root/main.tf: module "gone": source ../gone is not a directory with .tf files',
    ]);
  });

  test("unresolved resource and data references are caught", async () => {
    const problems = await check({
      "root/main.tf": `
resource "google_thing" "one" {
  name  = google_thing.two.name
  other = data.google_project.missing.number
  bare  = nothing_bound
}
`,
    });
    expect(problems.sort()).toEqual([
      'root/main.tf: resource "google_thing" "one": "nothing_bound" is not a variable, local, resource or bound name',
      'root/main.tf: resource "google_thing" "one": data.google_project.missing is not declared',
      'root/main.tf: resource "google_thing" "one": google_thing.two is not declared in this module',
    ]);
  });

  test("a dynamic block's iterator is only bound inside its content", async () => {
    expect(
      await check({
        "root/main.tf": `
resource "google_thing" "one" {
  label = setting.value

  dynamic "setting" {
    for_each = [1]
    content {
      value = setting.value
    }
  }
}
`,
      }),
    ).toEqual(['root/main.tf: resource "google_thing" "one": setting.value is not declared in this module']);
  });

  test("variables without a description or a type are caught", async () => {
    expect(await check({ "root/variables.tf": `variable "bare" {}\n` })).toEqual([
      'root/variables.tf: variable "bare": has no description',
      'root/variables.tf: variable "bare": has no type',
    ]);
  });

  test("a block declared twice is caught", async () => {
    const output = `output "x" {\n  description = "x"\n  value       = 1\n}\n`;
    const problems = await check({ "root/a.tf": output, "root/b.tf": output });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^root\/b\.tf: output "x": is declared twice \(also in .*a\.tf\)$/);
  });

  test("a syntax error names the file and the parser's message", async () => {
    const problems = await check({ "root/broken.tf": `resource "google_thing" "one" {\n  name = "x"\n` });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^root\/broken\.tf: syntax error: .*broken\.tf:\d+,\d+.*Unclosed configuration block/);
  });
});
