import { can, type RequestContext } from "@devflow/auth";
import type {
  CreateIssueFromPassage,
  CreatedIssueDto,
  DocumentIssueLinkDto,
  IssueTrackersDto,
} from "@devflow/contracts";
import type { Database, Tx } from "@devflow/db";
import { createDocumentsService, loadVisibleDocument } from "@devflow/domain-documents";
import { AppError, forbidden, notFound } from "@devflow/util-core";
import type { IntegrationClients } from "../integration-clients";
import { draftIssue, type IssueDraft } from "./issue-draft";

export interface IssuesFromDocsOptions {
  /** The organization's connected trackers (createIntegrationClients). */
  clients: Pick<IntegrationClients, "github" | "jira" | "linear">;
  /** The web app as people open it: the issue links back to the doc there. */
  webBaseUrl: string;
}

/** How much of the passage the doc's list of issues shows. */
const PASSAGE_EXCERPT = 280;

/**
 * Issues made from design-doc passages: created in the organization's GitHub (a connected
 * repository), Jira or Linear with the passage, acceptance criteria from its words and a link back
 * (`devflow:<document id>`, which GitHub deliveries also turn into the issue's link to the doc), and
 * recorded on the doc's side. Anyone who may edit the doc may file one; the tracker must be connected.
 */
export function createIssuesFromDocsService(db: Database, options: IssuesFromDocsOptions) {
  const documents = createDocumentsService(db);

  return {
    async create(ctx: RequestContext, documentId: string, input: CreateIssueFromPassage): Promise<CreatedIssueDto> {
      if (!can(ctx.actor, "document:update"))
        throw forbidden("Only people who can edit documents can file issues from them");
      const doc = await documents.get(ctx, documentId);
      if (!normalized(doc.content).includes(normalized(input.passage))) {
        throw new AppError("validation_failed", "The passage is not in the document's current text", {
          report: false,
          details: { issues: [{ path: "passage", message: "Select the passage again: the document changed" }] },
        });
      }
      const orgSlug = await db.withTenant(ctx, (tx) => organizationSlug(tx, ctx.organizationId));
      const draft = draftIssue({
        passage: input.passage,
        title: input.title,
        documentTitle: doc.title,
        documentId,
        documentUrl: `${options.webBaseUrl.replace(/\/+$/, "")}/${orgSlug}/documents/${documentId}`,
      });
      const filed = await fileIssue(db, options, ctx, input, draft);
      const link = await db.withTenant(ctx, async (tx) => {
        // Still visible, and recorded in the same organization as the document.
        await loadVisibleDocument(tx, ctx, documentId);
        return tx.documentIssueLink.create({
          data: {
            organizationId: ctx.organizationId,
            documentId,
            provider: input.tracker,
            externalKey: filed.key,
            url: filed.url,
            title: draft.title,
            passage: excerpt(input.passage),
            createdById: ctx.actor.userId,
          },
        });
      });
      return { ...toDto(link), acceptanceCriteria: draft.acceptanceCriteria };
    },

    /**
     * The trackers an issue can be filed in: enabled integrations holding credentials (a GitHub
     * token, not only a webhook). Any member may ask; nothing about the credentials is returned.
     */
    async trackers(ctx: RequestContext): Promise<IssueTrackersDto> {
      if (!can(ctx.actor, "document:read")) throw forbidden("You cannot read this organization's documents");
      const rows = await db.withTenant(ctx, (tx) =>
        tx.$queryRawUnsafe<{ provider: IssueTrackersDto["trackers"][number] }[]>(
          `SELECT DISTINCT provider::text AS provider FROM integrations
            WHERE enabled AND config ? 'credential'
              AND ((provider = 'github' AND config->>'kind' = 'token') OR provider IN ('jira', 'linear'))`,
        ),
      );
      const connected = new Set(rows.map((row) => row.provider));
      return { trackers: (["github", "jira", "linear"] as const).filter((tracker) => connected.has(tracker)) };
    },

    /** The issues made from a document the caller may read, newest first. */
    async list(ctx: RequestContext, documentId: string): Promise<{ items: DocumentIssueLinkDto[] }> {
      return db.withTenant(ctx, async (tx) => {
        await loadVisibleDocument(tx, ctx, documentId);
        const rows = await tx.documentIssueLink.findMany({
          where: { documentId },
          orderBy: { createdAt: "desc" },
          take: 200,
        });
        return { items: rows.map(toDto) };
      });
    },
  };
}

export type IssuesFromDocsService = ReturnType<typeof createIssuesFromDocsService>;

/** Files the drafted issue in the chosen tracker; its key and address there. */
async function fileIssue(
  db: Database,
  options: IssuesFromDocsOptions,
  ctx: RequestContext,
  input: CreateIssueFromPassage,
  draft: IssueDraft,
): Promise<{ key: string; url: string }> {
  const orgId = ctx.organizationId;
  switch (input.tracker) {
    case "github": {
      const repository = await db.withTenant(ctx, (tx) =>
        tx.repository.findUnique({ where: { id: input.repositoryId }, select: { fullName: true } }),
      );
      if (!repository) throw notFound("Repository", input.repositoryId);
      const github = await options.clients.github(orgId);
      if (!github) throw notConnected("GitHub", "a GitHub token");
      const [owner, repo] = repository.fullName.split("/") as [string, string];
      const issue = await github.createIssue({ owner, repo, title: draft.title, body: draft.body });
      return { key: `${repository.fullName}#${issue.number}`, url: issue.url };
    }
    case "jira": {
      const jira = await options.clients.jira(orgId);
      if (!jira) throw notConnected("Jira", "a Jira site");
      const issue = await jira.createIssue({
        projectKey: input.projectKey,
        summary: draft.title,
        description: draft.plainBody,
        issueType: input.issueType,
      });
      return { key: issue.key, url: issue.url };
    }
    case "linear": {
      const linear = await options.clients.linear(orgId);
      if (!linear) throw notConnected("Linear", "a Linear API key");
      const issue = await linear.createIssue({ teamId: input.teamId, title: draft.title, description: draft.body });
      return { key: issue.identifier, url: issue.url };
    }
  }
}

function notConnected(tracker: string, what: string): AppError {
  return new AppError(
    "validation_failed",
    `${tracker} is not connected: an admin connects ${what} under Settings → Integrations`,
    { report: false, details: { issues: [{ path: "tracker", message: `${tracker} is not connected` }] } },
  );
}

async function organizationSlug(tx: Tx, organizationId: string): Promise<string> {
  const organization = await tx.organization.findUnique({ where: { id: organizationId }, select: { slug: true } });
  if (!organization) throw notFound("Organization", organizationId);
  return organization.slug;
}

/** Whitespace-insensitive, so a selection's line breaks and the stored text's compare equal. */
function normalized(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function excerpt(passage: string): string {
  const flat = normalized(passage);
  return flat.length <= PASSAGE_EXCERPT ? flat : `${flat.slice(0, PASSAGE_EXCERPT - 1).trimEnd()}…`;
}

function toDto(row: {
  id: string;
  documentId: string;
  provider: string;
  externalKey: string;
  url: string;
  title: string;
  passage: string;
  createdAt: Date;
}): DocumentIssueLinkDto {
  return {
    id: row.id,
    documentId: row.documentId,
    provider: row.provider as DocumentIssueLinkDto["provider"],
    externalKey: row.externalKey,
    url: row.url,
    title: row.title,
    passage: row.passage,
    createdAt: row.createdAt.toISOString(),
  };
}
