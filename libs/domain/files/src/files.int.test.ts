import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { createOfflineEmbedder } from "@devflow/ai-rag";
import type { DomainEvent } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createProjectsService } from "@devflow/domain-projects";
import { outboxRowToEvent } from "@devflow/events";
import { buildDocx, buildPdf } from "@devflow/extract/testing";
import { createLocalBlobStore, type BlobStore } from "@devflow/storage";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { AppError } from "@devflow/util-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFileProcessor } from "./file-processor";
import { createFilesService, type FilesService } from "./files.service";

// Uploads end to end below the HTTP layer: bytes streamed into a real local BlobStore, the type
// sniffed from the content, the row and its event committed together, and the worker's processor
// turning PDFs and Word files into searchable passages — on the app role, so RLS applies.

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let blobDir: string;
let blobs: BlobStore;
let files: FilesService;
let projectId: string;
let globexProjectId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  blobDir = await mkdtemp(path.join(tmpdir(), "devflow-files-"));
  blobs = createLocalBlobStore({ directory: blobDir });
  files = createFilesService(t.db, { blobs, maxBytes: 64 * 1024 });
  const projects = createProjectsService(t.db);
  projectId = (await projects.create(acme.ctx, { name: "Payments", description: "" })).id;
  globexProjectId = (await projects.create(globex.ctx, { name: "Secret", description: "" })).id;
});
afterAll(async () => {
  await t?.drop();
  if (blobDir) await rm(blobDir, { recursive: true, force: true });
});

const streamOf = (bytes: Buffer | string, pieces = 3) => {
  const buffer = Buffer.from(bytes);
  const size = Math.ceil(buffer.length / pieces) || 1;
  const parts: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += size) parts.push(buffer.subarray(i, i + size));
  return Readable.from(parts);
};

async function storedBlobs(): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else found.push(path.relative(blobDir, full));
    }
  }
  await walk(blobDir);
  return found.filter((name) => !name.split(path.sep).some((part) => part.startsWith(".")));
}

async function uploadedEvent(fileId: string): Promise<DomainEvent<"file.uploaded">> {
  const [row] = await t.db.withSystem("test: the upload's event", (tx) =>
    tx.$queryRawUnsafe<Parameters<typeof outboxRowToEvent>[0][]>(
      `SELECT * FROM outbox_events WHERE type = 'file.uploaded' AND payload->>'fileId' = $1`,
      fileId,
    ),
  );
  expect(row).toBeDefined();
  return outboxRowToEvent(row!) as DomainEvent<"file.uploaded">;
}

async function chunksOf(organizationId: string, fileId: string) {
  return t.db.withTenant({ organizationId }, (tx) =>
    tx.textChunk.findMany({ where: { sourceType: "file", sourceId: fileId }, orderBy: { chunkIndex: "asc" } }),
  );
}

const processor = (scanner: Parameters<typeof createFileProcessor>[1]["scanner"] = null) =>
  createFileProcessor(t.db, { blobs, embedder: createOfflineEmbedder(), scanner });

describe("uploading", () => {
  it("streams a file into storage and records it with its upload event, in one go", async () => {
    const file = await files.upload(acme.ctx, projectId, {
      name: "runbook.md",
      body: streamOf("# Runbook\n\nRestart the ledger with care.\n"),
    });
    expect(file).toMatchObject({
      name: "runbook.md",
      kind: "markdown",
      status: "pending",
      progress: 0,
      uploadedBy: { id: acme.owner.id, name: "Owner" },
    });
    expect(file.sizeBytes).toBe(Buffer.byteLength("# Runbook\n\nRestart the ledger with care.\n"));
    expect((await uploadedEvent(file.id)).data).toEqual({ fileId: file.id, projectId, uploadedById: acme.owner.id });
    expect((await storedBlobs()).some((key) => key.endsWith(file.id))).toBe(true);
    const listed = await files.list(acme.ctx, projectId, { limit: 10 });
    expect(listed.items.map((f) => f.id)).toContain(file.id);
  });

  it("decides the type from the content: a PNG named .pdf is refused and nothing is kept", async () => {
    const before = await storedBlobs();
    const png = Buffer.concat([Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), Buffer.alloc(64)]);
    const attempt = files.upload(acme.ctx, projectId, { name: "plan.pdf", body: streamOf(png) });
    await expect(attempt).rejects.toMatchObject({ code: "unsupported_media_type" });
    expect(await storedBlobs()).toEqual(before);
  });

  it("refuses a file over the limit, whether announced or discovered while streaming, and keeps no bytes", async () => {
    const before = await storedBlobs();
    const big = "x".repeat(70 * 1024);
    await expect(
      files.upload(acme.ctx, projectId, { name: "big.txt", body: streamOf(big), declaredBytes: big.length }),
    ).rejects.toMatchObject({ code: "payload_too_large" });
    await expect(files.upload(acme.ctx, projectId, { name: "big.txt", body: streamOf(big, 40) })).rejects.toMatchObject({
      code: "payload_too_large",
    });
    expect(await storedBlobs()).toEqual(before);
  });

  it("refuses empty files, bad names and viewers", async () => {
    await expect(files.upload(acme.ctx, projectId, { name: "empty.txt", body: streamOf("") })).rejects.toMatchObject({
      code: "validation_failed",
    });
    await expect(files.upload(acme.ctx, projectId, { name: "../etc/passwd", body: streamOf("hi") })).rejects.toMatchObject({
      code: "validation_failed",
    });
    const viewer = await acme.addMember("viewer");
    await expect(files.upload(viewer, projectId, { name: "a.txt", body: streamOf("hi") })).rejects.toMatchObject({
      code: "forbidden",
    });
  });

  it("keeps each organization's files to itself", async () => {
    const mine = await files.upload(acme.ctx, projectId, { name: "acme.txt", body: streamOf("Acme only") });
    await expect(files.get(globex.ctx, mine.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(files.openContent(globex.ctx, mine.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(files.archive(globex.ctx, mine.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(files.list(acme.ctx, globexProjectId, { limit: 10 })).rejects.toBeInstanceOf(AppError);
    await expect(
      files.upload(acme.ctx, globexProjectId, { name: "x.txt", body: streamOf("into Globex") }),
    ).rejects.toMatchObject({ code: "not_found" });
    const seenByGlobex = await t.db.withTenant({ organizationId: globex.organization.id }, (tx) =>
      tx.file.findMany({ where: { id: mine.id } }),
    );
    expect(seenByGlobex).toEqual([]);
  });
});

describe("processing", () => {
  it("extracts a PDF's pages, indexes its passages and marks it ready, once however often it runs", async () => {
    const pdf = await buildPdf(["Settlement runs nightly at 02:00 UTC.", "Refunds are batched with settlement."]);
    const file = await files.upload(acme.ctx, projectId, { name: "settlement.pdf", body: streamOf(pdf) });
    expect(file.kind).toBe("pdf");
    const event = await uploadedEvent(file.id);
    await processor().handle(event);
    const done = await files.get(acme.ctx, file.id);
    expect(done).toMatchObject({ status: "ready", progress: 100, pageCount: 2, error: null, stage: null });
    const chunks = await chunksOf(acme.organization.id, file.id);
    expect(chunks.length).toBe(done.chunkCount);
    expect(chunks.map((c) => c.content).join("\n")).toMatch(/Settlement runs nightly/);
    expect(chunks.map((c) => c.content).join("\n")).toMatch(/Refunds are batched/);
    expect(chunks[0]!.projectId).toBe(projectId);

    await processor().handle(event); // a redelivery
    expect((await chunksOf(acme.organization.id, file.id)).length).toBe(chunks.length);
    // Globex can never see Acme's passages.
    expect(await chunksOf(globex.organization.id, file.id)).toEqual([]);
  });

  it("indexes a Word document with its headings", async () => {
    const docx = await buildDocx([
      { heading: "Incident policy" },
      { paragraph: "Page the on-call engineer within five minutes." },
    ]);
    const file = await files.upload(acme.ctx, projectId, { name: "policy.docx", body: streamOf(docx) });
    expect(file.kind).toBe("docx");
    await processor().handle(await uploadedEvent(file.id));
    expect(await files.get(acme.ctx, file.id)).toMatchObject({ status: "ready" });
    const text = (await chunksOf(acme.organization.id, file.id)).map((c) => `${c.heading}\n${c.content}`).join("\n");
    expect(text).toMatch(/Incident policy/);
    expect(text).toMatch(/on-call engineer/);
  });

  it("explains a file that can never be read, without retrying it", async () => {
    const pdf = await buildPdf(["Truncated"]);
    const broken = pdf.subarray(0, Math.floor(pdf.length / 3));
    const file = await files.upload(acme.ctx, projectId, { name: "broken.pdf", body: streamOf(broken) });
    await expect(processor().handle(await uploadedEvent(file.id))).resolves.toBeUndefined();
    const failed = await files.get(acme.ctx, file.id);
    expect(failed).toMatchObject({ status: "failed", errorCode: "unreadable_document" });
    expect(failed.error).toMatch(/\w/);
    expect(await chunksOf(acme.organization.id, file.id)).toEqual([]);
  });

  it("fails a zip that only looked like a Word file from its first bytes, and deletes it", async () => {
    const notDocx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]);
    const file = await files.upload(acme.ctx, projectId, { name: "archive.docx", body: streamOf(notDocx) });
    expect(file.kind).toBe("docx");
    await processor().handle(await uploadedEvent(file.id));
    expect(await files.get(acme.ctx, file.id)).toMatchObject({ status: "failed", errorCode: "unsupported_type" });
    expect((await storedBlobs()).some((key) => key.endsWith(file.id))).toBe(false);
  });

  it("deletes an infected file and says what the scanner found", async () => {
    const file = await files.upload(acme.ctx, projectId, { name: "eicar.txt", body: streamOf("looks harmless") });
    const scanned: number[] = [];
    await processor({
      async scan(bytes) {
        scanned.push(bytes.length);
        return { clean: false, signature: "Eicar-Test-Signature" };
      },
    }).handle(await uploadedEvent(file.id));
    expect(scanned).toEqual([Buffer.byteLength("looks harmless")]);
    const failed = await files.get(acme.ctx, file.id);
    expect(failed).toMatchObject({ status: "failed", errorCode: "infected" });
    expect(failed.error).toMatch(/Eicar-Test-Signature/);
    expect((await storedBlobs()).some((key) => key.endsWith(file.id))).toBe(false);
  });

  it("rethrows a passing problem so the bus retries it, and says so on the file meanwhile", async () => {
    const file = await files.upload(acme.ctx, projectId, { name: "retry.md", body: streamOf("# Retry\n\nSoon.") });
    const flaky = createFileProcessor(t.db, {
      blobs,
      embedder: {
        ...createOfflineEmbedder(),
        embed: async () => {
          throw new Error("embedding provider timed out");
        },
      },
    });
    const event = await uploadedEvent(file.id);
    await expect(flaky.handle(event)).rejects.toThrow("embedding provider timed out");
    expect(await files.get(acme.ctx, file.id)).toMatchObject({ status: "processing", errorCode: "retrying" });
    await processor().handle(event);
    expect(await files.get(acme.ctx, file.id)).toMatchObject({ status: "ready", errorCode: null, error: null });
  });

  it("takes an archived file's passages out of search and its bytes out of storage", async () => {
    const file = await files.upload(acme.ctx, projectId, { name: "gone.md", body: streamOf("# Gone\n\nSoon gone.") });
    await processor().handle(await uploadedEvent(file.id));
    expect((await chunksOf(acme.organization.id, file.id)).length).toBeGreaterThan(0);
    await files.archive(acme.ctx, file.id);
    expect(await chunksOf(acme.organization.id, file.id)).toEqual([]);
    expect((await storedBlobs()).some((key) => key.endsWith(file.id))).toBe(false);
    await expect(files.get(acme.ctx, file.id)).rejects.toMatchObject({ code: "not_found" });
  });
});
