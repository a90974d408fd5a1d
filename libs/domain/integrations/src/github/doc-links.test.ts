import { describe, expect, it } from "vitest";
import { extractDocumentIds, MAX_LINKED_DOCUMENTS } from "./doc-links";

const A = "3f2b8c1e-9d4a-4c6b-8e21-5a7f0d9c3b11";
const B = "a0e4d6c2-7b19-4f3e-9c58-1d2e3f4a5b6c";

describe("extractDocumentIds", () => {
  it("finds document links of the web app, whatever the host or path prefix", () => {
    expect(
      extractDocumentIds(
        `Implements https://devflow.example.test/acme/documents/${A} and ` +
          `[the RFC](http://localhost:3000/base/path/acme/documents/${B}#section).`,
      ),
    ).toEqual([A, B]);
  });

  it("finds bare devflow:<id> references, in order of mention across title and body", () => {
    expect(extractDocumentIds(`Ledger (devflow:${B})`, `See https://x.test/acme/documents/${A}`)).toEqual([B, A]);
  });

  it("lower-cases ids and lists each once", () => {
    expect(extractDocumentIds(`devflow:${A.toUpperCase()} https://x.test/acme/documents/${A}`)).toEqual([A]);
  });

  it("ignores links that are not document addresses and ids that run on", () => {
    expect(
      extractDocumentIds(
        `https://x.test/acme/projects/${A} https://x.test/documents/${A} ` +
          `https://x.test/acme/documents/${A}0 notdevflow:${B} devflow:${B}-x`,
      ),
    ).toEqual([]);
  });

  it("returns nothing for a missing body", () => {
    expect(extractDocumentIds(null, undefined, "")).toEqual([]);
  });

  it(`stops after ${MAX_LINKED_DOCUMENTS} ids`, () => {
    const ids = Array.from(
      { length: MAX_LINKED_DOCUMENTS + 5 },
      (_, i) => `${A.slice(0, -4)}${String(i).padStart(4, "0")}`,
    );
    expect(extractDocumentIds(ids.map((id) => `devflow:${id}`).join(" "))).toEqual(ids.slice(0, MAX_LINKED_DOCUMENTS));
  });
});
