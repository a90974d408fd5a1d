"use client";

import { FILE_UPLOAD_MAX_BYTES, type FileDto, type MyOrganizationDto, type ProjectDto } from "@devflow/contracts";
import { ORGANIZATION_HEADER } from "@devflow/web-data-access";
import { Alert, Button, ConfirmDialog, EmptyState, SkeletonList } from "@devflow/web-ui";
import { useCallback, useEffect, useRef, useState, type DragEvent } from "react";
import { orgRequest } from "../common/org-request";
import { countOf, timeAgo } from "../common/format";
import { DocumentIcon } from "../common/icons";
import { uploadFile } from "./upload-file";

const ACCEPT = ".pdf,.docx,.md,.markdown,.txt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/markdown,text/plain";
/** How often the list asks how processing is going while a file is being processed. */
const POLL_MS = 1_500;

const STAGE_LABELS = { scanning: "Scanning for viruses", extracting: "Reading the text", indexing: "Indexing for the assistant" };
const KIND_LABELS = { pdf: "PDF", docx: "Word", markdown: "Markdown", text: "Text" };

interface Upload {
  key: string;
  name: string;
  fraction: number;
  error: string | null;
  cancel: () => void;
}

export interface FilesPanelProps {
  organization: MyOrganizationDto;
  project: ProjectDto;
}

/**
 * A project's files: upload (button or drop; several at once, each with its own progress), the
 * processing that follows (stage and progress, polled while it runs), failures explained, download
 * and remove. Ready files are what the assistant can search.
 */
export function FilesPanel({ organization, project }: FilesPanelProps) {
  const canWrite = organization.role !== "viewer" && !project.archivedAt;
  const [files, setFiles] = useState<FileDto[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [isDragging, setIsDragging] = useState(false);
  const [removing, setRemoving] = useState<FileDto | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [isRemoving, setIsRemoving] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const base = `/api/v1/projects/${project.id}/files`;

  const fetchPage = useCallback(
    async (cursor: string | null) => {
      const response = await fetch(`${base}?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, {
        headers: { [ORGANIZATION_HEADER]: organization.id },
      });
      if (!response.ok) throw new Error(`Could not load files (HTTP ${response.status}).`);
      return (await response.json()) as { items: FileDto[]; nextCursor: string | null };
    },
    [base, organization.id],
  );

  const hasLoadedMore = useRef(false);
  const reload = useCallback(async () => {
    try {
      const page = await fetchPage(null);
      if (!hasLoadedMore.current) {
        setFiles(page.items);
        setNextCursor(page.nextCursor);
      } else {
        // Pages loaded with "Load more" stay: refresh the first page's files, keep the older ones.
        const oldest = page.items.at(-1)?.createdAt ?? "";
        setFiles((current) => [
          ...page.items,
          ...(current ?? []).filter((f) => !page.items.some((p) => p.id === f.id) && f.createdAt < oldest),
        ]);
      }
      setLoadError(null);
    } catch (error) {
      setLoadError(error instanceof Error ? error.message : "Could not load files.");
    }
  }, [fetchPage]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const isProcessing = files?.some((f) => f.status === "pending" || f.status === "processing") ?? false;
  useEffect(() => {
    if (!isProcessing) return;
    const timer = setInterval(() => void reload(), POLL_MS);
    return () => clearInterval(timer);
  }, [isProcessing, reload]);

  async function loadMore() {
    if (!nextCursor) return;
    try {
      const page = await fetchPage(nextCursor);
      hasLoadedMore.current = true;
      setFiles((current) => [...(current ?? []), ...page.items.filter((f) => !current?.some((c) => c.id === f.id))]);
      setNextCursor(page.nextCursor);
    } catch (error) {
      setLoadError(error instanceof Error ? error.message : "Could not load files.");
    }
  }

  function start(list: FileList | File[]) {
    for (const file of Array.from(list)) {
      const key = `${file.name}-${file.size}-${Math.random()}`;
      if (file.size > FILE_UPLOAD_MAX_BYTES) {
        setUploads((u) => [...u, { key, name: file.name, fraction: 0, error: "Files can be at most 25 MB.", cancel: () => {} }]);
        continue;
      }
      const { done, cancel } = uploadFile(organization.id, project.id, file, (fraction) =>
        setUploads((u) => u.map((x) => (x.key === key ? { ...x, fraction } : x))),
      );
      setUploads((u) => [...u, { key, name: file.name, fraction: 0, error: null, cancel }]);
      void done.then((result) => {
        if (result.ok) {
          setUploads((u) => u.filter((x) => x.key !== key));
          setFiles((current) => [result.file, ...(current ?? []).filter((f) => f.id !== result.file.id)]);
        } else {
          setUploads((u) => u.map((x) => (x.key === key ? { ...x, error: result.message } : x)));
        }
      });
    }
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setIsDragging(false);
    if (canWrite && event.dataTransfer.files.length > 0) start(event.dataTransfer.files);
  }

  async function remove(file: FileDto) {
    setIsRemoving(true);
    const result = await orgRequest(organization.id, "DELETE", `/api/v1/files/${file.id}`, {
      fallback: "Could not remove the file",
    });
    setIsRemoving(false);
    if (!result.ok) {
      setRemoveError(result.message);
      return;
    }
    setRemoving(null);
    setRemoveError(null);
    setFiles((current) => (current ?? []).filter((f) => f.id !== file.id));
  }

  return (
    <section
      className={isDragging ? "files-panel files-panel--dragging" : "files-panel"}
      aria-labelledby="files-heading"
      data-testid="files-panel"
      onDragOver={(event) => {
        if (!canWrite) return;
        event.preventDefault();
        setIsDragging(true);
      }}
      onDragLeave={() => setIsDragging(false)}
      onDrop={onDrop}
    >
      <header className="files-panel__header">
        <div>
          <h2 id="files-heading" className="section-title">
            Files
          </h2>
          <p className="page-subtitle">
            PDF, Word, Markdown and text files the assistant can read{canWrite && " — drop them here or upload"}.
          </p>
        </div>
        {canWrite && (
          <>
            <Button onClick={() => input.current?.click()} data-testid="upload-file">
              Upload files
            </Button>
            <input
              ref={input}
              type="file"
              multiple
              accept={ACCEPT}
              hidden
              data-testid="file-input"
              onChange={(event) => {
                if (event.target.files) start(event.target.files);
                event.target.value = "";
              }}
            />
          </>
        )}
      </header>

      {uploads.length > 0 && (
        <ul className="file-list panel" aria-label="Uploads in progress">
          {uploads.map((upload) => (
            <li key={upload.key} className="file-row" data-testid="upload-row">
              <div className="file-row__main">
                <DocumentIcon className="document-row__icon" />
                <span className="file-row__name">{upload.name}</span>
                {upload.error ? (
                  <Button size="sm" onClick={() => setUploads((u) => u.filter((x) => x.key !== upload.key))}>
                    Dismiss
                  </Button>
                ) : (
                  <Button size="sm" onClick={upload.cancel}>
                    Cancel
                  </Button>
                )}
              </div>
              {upload.error ? (
                <p className="file-row__error" role="alert">
                  {upload.error}
                </p>
              ) : (
                <Progress value={Math.round(upload.fraction * 100)} label={`Uploading ${upload.name}`} />
              )}
            </li>
          ))}
        </ul>
      )}

      {files === null && !loadError && (
        <div className="panel">
          <SkeletonList rows={2} label="Loading files" />
        </div>
      )}
      {loadError && (
        <Alert
          title="Could not load files"
          action={
            <Button size="sm" onClick={() => void reload()}>
              Try again
            </Button>
          }
        >
          {loadError}
        </Alert>
      )}
      {files && files.length === 0 && uploads.length === 0 && (
        <EmptyState
          testId="files-empty"
          title="No files yet"
          description="Upload specs, runbooks or meeting notes and ask the assistant about them."
        />
      )}
      {files && files.length > 0 && (
        <ul className="file-list panel" aria-label={`Files in ${project.name}`} data-testid="file-list">
          {files.map((file) => (
            <li key={file.id} className="file-row" data-testid="file-row" data-file-id={file.id} data-status={file.status}>
              <div className="file-row__main">
                <DocumentIcon className="document-row__icon" />
                <a className="file-row__name" href={`/api/v1/files/${file.id}/content`} download={file.name}>
                  {file.name}
                </a>
                <span className="file-row__meta">
                  {KIND_LABELS[file.kind]} · {formatSize(file.sizeBytes)}
                  {file.pageCount !== null && ` · ${countOf(file.pageCount, "page")}`} · {timeAgo(file.createdAt)}
                  {file.uploadedBy && ` by ${file.uploadedBy.name}`}
                </span>
                <FileStatus file={file} />
                {canWrite && (
                  <Button size="sm" variant="ghost" onClick={() => setRemoving(file)} aria-label={`Remove ${file.name}`}>
                    Remove
                  </Button>
                )}
              </div>
              {(file.status === "pending" || file.status === "processing") && (
                <Progress
                  value={file.progress}
                  label={file.stage ? STAGE_LABELS[file.stage] : "Waiting to be processed"}
                  detail={file.errorCode === "retrying" ? file.error : null}
                />
              )}
              {file.status === "failed" && (
                <p className="file-row__error" role="alert">
                  {file.error ?? "This file could not be processed."}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      {nextCursor && (
        <div className="list-footer">
          <Button onClick={() => void loadMore()}>Load more files</Button>
        </div>
      )}

      <ConfirmDialog
        isOpen={removing !== null}
        title={`Remove ${removing?.name ?? "file"}?`}
        message="The file is deleted and the assistant stops using it. This cannot be undone."
        confirmLabel="Remove"
        isDestructive
        isBusy={isRemoving}
        error={removeError}
        onConfirm={() => removing && void remove(removing)}
        onCancel={() => {
          setRemoving(null);
          setRemoveError(null);
        }}
      />
    </section>
  );
}

function FileStatus({ file }: { file: FileDto }) {
  const label =
    file.status === "ready"
      ? `Searchable · ${countOf(file.chunkCount ?? 0, "passage")}`
      : file.status === "failed"
        ? "Failed"
        : file.status === "processing"
          ? "Processing"
          : "Queued";
  return (
    <span className={`file-status file-status--${file.status}`} data-testid="file-status">
      {label}
    </span>
  );
}

function Progress({ value, label, detail }: { value: number; label: string; detail?: string | null }) {
  return (
    <div className="file-progress">
      <div
        className="file-progress__bar"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
      >
        <div className="file-progress__fill" style={{ width: `${value}%` }} />
      </div>
      <span className="file-progress__label">
        {label} · {value}%{detail && ` — ${detail}`}
      </span>
    </div>
  );
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}
