/**
 * The bench's synthetic corpus: seeded Zipf-distributed made-up words, so every run searches the
 * same text with the same queries, and a loader that writes documents and embedded chunks in bulk.
 */
import { hashEmbedding } from "@devflow/ai-rag";
import type { SqlExecutor } from "@devflow/db/migrations";

export const CHUNKS_PER_DOCUMENT = 10;

/** A seeded generator (mulberry32). */
export function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  "ka",
  "lo",
  "mi",
  "ter",
  "son",
  "ex",
  "ri",
  "pa",
  "dun",
  "vel",
  "cor",
  "ish",
  "an",
  "bur",
  "tel",
  "nox",
];
// 8,000 made-up words drawn with a Zipf-like skew: a few are everywhere, most are rare, as in prose.
const VOCABULARY = Array.from({ length: 8_000 }, (_, i) => {
  let word = "";
  for (let n = i + 1; n > 0; n = Math.floor(n / SYLLABLES.length)) word += SYLLABLES[n % SYLLABLES.length];
  return word;
});

/** Text and queries drawn from one seeded stream each, so loading more never changes the queries. */
export function createCorpus(seed: number) {
  const rand = random(seed);
  const zipfWord = () => VOCABULARY[Math.floor(VOCABULARY.length ** rand()) - 1]!;
  const sentence = () => {
    const words = Array.from({ length: 8 + Math.floor(rand() * 10) }, zipfWord).join(" ");
    return `${words[0]!.toUpperCase()}${words.slice(1)}.`;
  };
  return {
    passage: () => Array.from({ length: 7 + Math.floor(rand() * 5) }, sentence).join(" "),
    /** 2–4 words from the same distribution as the text. */
    query: () => Array.from({ length: 2 + Math.floor(rand() * 3) }, zipfWord).join(" "),
  };
}

/** `count` documents of CHUNKS_PER_DOCUMENT chunks each, embedded with the offline embedder, in two statements. */
export async function loadDocuments(
  owner: SqlExecutor,
  passage: () => string,
  target: { organizationId: string; projectId: string; count: number; offset: number },
) {
  const { organizationId, projectId, count, offset } = target;
  const docs = Array.from({ length: count }, (_, i) => ({
    id: crypto.randomUUID(),
    title: `Design doc ${offset + i}`,
  }));
  await owner.query(
    `INSERT INTO documents (id, organization_id, project_id, title, content, updated_at)
     SELECT d.id, $1::uuid, $2::uuid, d.title, '', now() FROM jsonb_to_recordset($3::jsonb) AS d(id uuid, title text)`,
    [organizationId, projectId, JSON.stringify(docs)],
  );
  const chunks = docs.flatMap((doc) => {
    let offsetInDoc = 0;
    return Array.from({ length: CHUNKS_PER_DOCUMENT }, (_, index) => {
      const content = passage();
      const heading = `${doc.title} › Section ${index + 1}`;
      const chunk = {
        source_id: doc.id,
        chunk_index: index,
        start_offset: offsetInDoc,
        end_offset: offsetInDoc + content.length,
        heading,
        content,
        embedding: `[${hashEmbedding(`${heading}\n${content}`).join(",")}]`,
      };
      offsetInDoc += content.length + 2;
      return chunk;
    });
  });
  await owner.query(
    `INSERT INTO text_chunks (organization_id, project_id, source_type, source_id, source_version, chunk_index,
                              start_offset, end_offset, heading, content, embedding, embedding_model)
     SELECT $1::uuid, $2::uuid, 'document', c.source_id, 0, c.chunk_index, c.start_offset, c.end_offset,
            c.heading, c.content, c.embedding::vector, 'offline-hashing-384'
       FROM jsonb_to_recordset($3::jsonb)
         AS c(source_id uuid, chunk_index int, start_offset int, end_offset int, heading text, content text, embedding text)`,
    [organizationId, projectId, JSON.stringify(chunks)],
  );
}
