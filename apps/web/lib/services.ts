import "server-only";
import {
  createRetrievalService,
  retrievalSetupFromSettings,
  SEARCH_LIMIT_MAX as RETRIEVAL_LIMIT_MAX,
} from "@devflow/ai-rag";
import type { RequestContext } from "@devflow/auth";
import type { TriagePassageInput, TriageSuggestionDto } from "@devflow/contracts";
import { connectDatabase, type Database } from "@devflow/db";
import { createApiTokensService } from "@devflow/domain-api-tokens";
import { createAuditLogService } from "@devflow/domain-audit";
import { createCommentsService } from "@devflow/domain-comments";
import { createDocumentsService } from "@devflow/domain-documents";
import { createFilesService, type FilesService } from "@devflow/domain-files";
import {
  createIntegrationClients,
  createIntegrationsService,
  createIssuesFromDocsService,
  type IntegrationsService,
  type IssuesFromDocsService,
} from "@devflow/domain-integrations";
import { createResilientCallerRegistry, OUTSIDE_CALL_BREAKER_DEFAULTS } from "@devflow/integrations";
import {
  createInvitationsService,
  createMembersService,
  createOrganizationsService,
} from "@devflow/domain-organizations";
import { createProjectsService } from "@devflow/domain-projects";
import { createTemplatesService } from "@devflow/domain-templates";
import { triagePassage } from "@devflow/domain-triage";
import { createScimService, createScimTokensService } from "@devflow/domain-scim";
import { createWorkflowRunsService, type WorkflowRunsService } from "@devflow/domain-workflows";
import { createSignInAudit, createSignInPolicyReader, createVerificationTokenStore } from "@devflow/domain-sign-in";
import { createPubSubEventBus } from "@devflow/events";
import { createMailer, type Mailer } from "@devflow/mail";
import { createBlobStoreFromConfig } from "@devflow/storage";
import { createWorkspaceSearch, type WorkspaceSearch } from "../modules/search/workspace-search";
import { webConfig } from "./config";
import { webLogger } from "./logger";
import { createWebSsoService, webEncryptionKey } from "./sso";
import { DATABASE_KEY, DATABASE_PENDING_KEY, readGlobal, writeGlobal } from "./runtime-globals";

/**
 * The process's Database: the one the dev launcher (or server.ts) shared on globalThis, else one
 * connected now from the config and shared the same way, so every route bundle uses one pool — and,
 * for the embedded database, its single connection.
 */
export async function database(): Promise<Database> {
  const shared = readGlobal<Database>(DATABASE_KEY);
  if (shared) return shared;
  let pending = readGlobal<Promise<Database>>(DATABASE_PENDING_KEY);
  if (!pending) {
    const config = webConfig();
    pending = connectDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      poolMax: config.DATABASE_POOL_MAX,
      logger: webLogger(),
    }).then(
      (db) => writeGlobal(DATABASE_KEY, db) as Database,
      (error: unknown) => {
        writeGlobal(DATABASE_PENDING_KEY, undefined); // let the next request try again
        throw error;
      },
    );
    writeGlobal(DATABASE_PENDING_KEY, pending);
  }
  return pending;
}

export interface Services {
  organizations: ReturnType<typeof createOrganizationsService>;
  projects: ReturnType<typeof createProjectsService>;
  documents: ReturnType<typeof createDocumentsService>;
  comments: ReturnType<typeof createCommentsService>;
  templates: ReturnType<typeof createTemplatesService>;
  apiTokens: ReturnType<typeof createApiTokensService>;
  scim: ReturnType<typeof createScimService>;
  scimTokens: ReturnType<typeof createScimTokensService>;
  auditLog: ReturnType<typeof createAuditLogService>;
  signInPolicy: ReturnType<typeof createSignInPolicyReader>;
  signInAudit: ReturnType<typeof createSignInAudit>;
  verificationTokens: ReturnType<typeof createVerificationTokenStore>;
  sso: Awaited<ReturnType<typeof createWebSsoService>>;
  mailer: Mailer;
  members: ReturnType<typeof createMembersService>;
  invitations: ReturnType<typeof createInvitationsService>;
  search: WorkspaceSearch;
  integrations: IntegrationsService;
  files: FilesService;
  workflowRuns: WorkflowRunsService;
  triage: { passage(ctx: RequestContext, input: TriagePassageInput): Promise<TriageSuggestionDto> };
  issuesFromDocs: IssuesFromDocsService;
}

const built = new WeakMap<Database, Services>();

/** The domain services over the process's Database. They hold no state of their own beyond it. */
export async function services(): Promise<Services> {
  const db = await database();
  let found = built.get(db);
  if (!found) {
    const config = webConfig();
    const mailer = createMailer({
      smtpUrl: config.SMTP_URL,
      from: config.MAIL_FROM,
      logger: webLogger(),
      revealLinks: config.DEVFLOW_ENV !== "production",
    });
    found = {
      organizations: createOrganizationsService(db),
      projects: createProjectsService(db),
      documents: createDocumentsService(db),
      comments: createCommentsService(db),
      templates: createTemplatesService(db),
      apiTokens: createApiTokensService(db),
      scim: createScimService(db, { baseUrl: `${config.PUBLIC_URL}/scim/v2` }),
      scimTokens: createScimTokensService(db),
      auditLog: createAuditLogService(db),
      signInPolicy: createSignInPolicyReader(db),
      signInAudit: createSignInAudit(db),
      verificationTokens: createVerificationTokenStore(db),
      sso: await createWebSsoService(db),
      mailer,
      members: createMembersService(db),
      invitations: createInvitationsService(db, { mailer, publicUrl: config.PUBLIC_URL }),
      search: createSearch(db),
      integrations: createIntegrationsService(db, {
        encryptionKey: await webEncryptionKey(),
        // On Pub/Sub, failed jobs are filed in event_dead_letters and retried by publishing again.
        ...(config.EVENT_BUS === "pubsub" && {
          deadLetters: createPubSubEventBus({
            projectId: config.PUBSUB_PROJECT_ID!,
            db,
            topicPrefix: config.PUBSUB_TOPIC_PREFIX,
            ...(config.PUBSUB_EMULATOR_HOST && { emulatorHost: config.PUBSUB_EMULATOR_HOST }),
            logger: webLogger(),
          }),
        }),
      }),
      files: createFilesService(db, {
        blobs: createBlobStoreFromConfig(config),
        maxBytes: config.FILE_UPLOAD_MAX_BYTES,
      }),
      workflowRuns: createWorkflowRunsService(db),
      issuesFromDocs: createIssuesFromDocsService(db, {
        clients: createIntegrationClients(db, {
          encryptionKey: webEncryptionKey,
          // One breaker per organization and tracker: one workspace's broken Jira does not stop another's.
          breakers: createResilientCallerRegistry(OUTSIDE_CALL_BREAKER_DEFAULTS),
        }),
        webBaseUrl: config.PUBLIC_URL,
      }),
      triage: {
        // The worker triages issues with the same embedder, so passages and issues compare.
        passage: (ctx, input) =>
          triagePassage(db, ctx, input, { embedder: retrievalSetupFromSettings(config).embedder }),
      },
    };
    built.set(db, found);
  }
  return found;
}

/**
 * Workspace search over the hybrid retrieval index. Queries must be embedded by the model the
 * indexer (apps/ai) used, whose chunks are the only ones compared with them: both read the same
 * AI_EMBEDDINGS_* and AI_VECTOR_STORE settings.
 */
function createSearch(db: Database): WorkspaceSearch {
  const retrieval = createRetrievalService(db, retrievalSetupFromSettings(webConfig()));
  return createWorkspaceSearch({
    retrieval,
    projects: createProjectsService(db),
    retrievalInfo: { embedder: retrieval.embedder.model, semantic: retrieval.embedder.semantic },
    maxPassages: RETRIEVAL_LIMIT_MAX,
  });
}
