import type { FileDto } from "@devflow/contracts";
import { ORGANIZATION_HEADER } from "@devflow/web-data-access";

export type UploadResult = { ok: true; file: FileDto } | { ok: false; message: string };

/**
 * Sends one file's bytes to the upload route, reporting how much has gone (XMLHttpRequest, because
 * fetch cannot report upload progress). The bytes go as application/octet-stream: the server
 * decides the type from the content, and no cross-site form can send that type.
 */
export function uploadFile(
  organizationId: string,
  projectId: string,
  file: File,
  onProgress: (fraction: number) => void,
): { done: Promise<UploadResult>; cancel: () => void } {
  const request = new XMLHttpRequest();
  const done = new Promise<UploadResult>((resolve) => {
    request.open("POST", `/api/v1/projects/${projectId}/files?name=${encodeURIComponent(file.name)}`);
    request.setRequestHeader(ORGANIZATION_HEADER, organizationId);
    request.setRequestHeader("content-type", "application/octet-stream");
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      const body = parse(request.responseText);
      if (request.status === 201 && body) resolve({ ok: true, file: body as FileDto });
      else
        resolve({
          ok: false,
          message:
            (body as { error?: { message?: string } } | null)?.error?.message ??
            `The upload failed (HTTP ${request.status}).`,
        });
    };
    request.onerror = () => resolve({ ok: false, message: "Could not reach DevFlow. Check your connection and try again." });
    request.onabort = () => resolve({ ok: false, message: "Upload cancelled." });
    request.send(file);
  });
  return { done, cancel: () => request.abort() };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
