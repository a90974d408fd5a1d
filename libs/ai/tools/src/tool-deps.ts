import type { Embedder, RetrievalService } from "@devflow/ai-rag";
import type { CitationDto } from "@devflow/contracts";
import type { Database } from "@devflow/db";
import type { DocumentsService } from "@devflow/domain-documents";
import type { IssuesFromDocsService } from "@devflow/domain-integrations";
import type { ProjectsService } from "@devflow/domain-projects";
import type { TemplatesService } from "@devflow/domain-templates";
import type { LiveDocumentEditor } from "./live-editor";
import type { ToolCallContext } from "./tool";

export interface AskInput {
  question: string;
  projectId?: string;
  documentId?: string;
}

/** The assistant's grounded answer: what `ask` returns, citing documents and uploaded files. */
export type AnswerQuestion = (
  call: ToolCallContext,
  input: AskInput,
) => Promise<{ text: string; citations: CitationDto[] }>;

export interface ToolRegistryDeps {
  db: Database;
  /** Hybrid retrieval over the documents and files the caller may read (search_docs). */
  retrieval: Pick<RetrievalService, "search">;
  /** Applies edit_doc's ops live through the collab service; without it edit_doc is not offered. */
  liveEditor?: LiveDocumentEditor;
  /** Answers `ask` with the assistant; without it `ask` is not offered. */
  answer?: AnswerQuestion;
  /** The embedder issues are triaged with (the worker's); without it `triage_issue` is not offered. */
  embedder?: Embedder;
  /** Files issues in the organization's trackers; without it `create_issue` is not offered. */
  issuesFromDocs?: Pick<IssuesFromDocsService, "create">;
}

/** The domain services tools call: the same ones the REST API uses. */
export interface ToolServices {
  documents: DocumentsService;
  projects: ProjectsService;
  templates: TemplatesService;
}
