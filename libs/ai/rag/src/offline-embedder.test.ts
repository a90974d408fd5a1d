import { describe, expect, it } from "vitest";
import { EMBEDDING_DIMENSIONS } from "./embedder";
import { createOfflineEmbedder, hashEmbedding } from "./offline-embedder";

const cosine = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);

describe("offline hashing embedder", () => {
  const embedder = createOfflineEmbedder();

  it("says what it is: 384 dimensions, not semantic", () => {
    expect(embedder).toMatchObject({ model: "offline-hashing-384", dimensions: EMBEDDING_DIMENSIONS, semantic: false });
  });

  it("returns one unit-length vector per text, the same every time", async () => {
    const [a, b] = await embedder.embed(["Retry failed webhook deliveries", "Retry failed webhook deliveries"]);
    expect(a).toHaveLength(EMBEDDING_DIMENSIONS);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 10);
    expect(a).toEqual(b);
  });

  it("scores a passage sharing the query's words above one that does not", () => {
    const query = hashEmbedding("how are webhook deliveries retried");
    const related = hashEmbedding("Webhook deliveries are retried with exponential backoff for 24 hours.");
    const unrelated = hashEmbedding("The editor renders markdown with a live preview of tables.");
    expect(cosine(query, related)).toBeGreaterThan(cosine(query, unrelated) + 0.2);
  });

  it("still finds a word through a typo or another form of it", () => {
    const passage = hashEmbedding("Tenant isolation relies on row-level security policies.");
    const typo = cosine(hashEmbedding("tennant isolaton"), passage);
    for (const unrelated of ["quarterly revenue forecast", "markdown preview tables", "deploy kubernetes cluster"]) {
      expect(typo).toBeGreaterThan(cosine(hashEmbedding(unrelated), passage) + 0.05);
    }
    expect(cosine(hashEmbedding("policy"), passage)).toBeGreaterThan(cosine(hashEmbedding("revenue"), passage));
  });

  it("gives a text without words a zero vector rather than dividing by zero", () => {
    expect(hashEmbedding("  ... !! ").every((v) => v === 0)).toBe(true);
    expect(hashEmbedding("the of and").every((v) => v === 0)).toBe(true);
  });
});
