import { z } from "zod";

/** Longest search query accepted, after trimming. */
export const SEARCH_QUERY_MAX = 500;
/** Most documents one search returns. */
export const SEARCH_LIMIT_MAX = 50;
export const SEARCH_LIMIT_DEFAULT = 20;
/** Most passages shown under one document: the best few, not every chunk that matched. */
export const SEARCH_PASSAGES_PER_RESULT_MAX = 3;

/**
 * What search can return. Documents only for now; files, pull requests and tickets join through the
 * same retrieval pipeline later (issue 5), as new members of this list.
 */
export const SEARCH_SOURCE_TYPES = ["document"] as const;
export const SearchSourceTypeSchema = z.enum(SEARCH_SOURCE_TYPES);
export type SearchSourceType = z.infer<typeof SearchSourceTypeSchema>;

/** `GET /api/v1/search?q=…&limit=…&projectId=…` */
export const SearchQuerySchema = z.object({
  q: z.string().trim().min(1, "Type something to search for").max(SEARCH_QUERY_MAX),
  /** The most documents to return. */
  limit: z.coerce.number().int().min(1).max(SEARCH_LIMIT_MAX).default(SEARCH_LIMIT_DEFAULT),
  /** Search one project only. */
  projectId: z.uuid().optional(),
});
export type SearchQuery = z.infer<typeof SearchQuerySchema>;

/** A matched term: `[start, end)` in UTF-16 code units of the text it comes with. */
export const SearchHighlightSchema = z
  .object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() })
  .refine((h) => h.end > h.start, "A highlight must not be empty");
export type SearchHighlightDto = z.infer<typeof SearchHighlightSchema>;

/** One passage of a document that matched. */
export const SearchPassageSchema = z.object({
  chunkId: z.string(),
  /** The heading the passage sits under, if any. */
  heading: z.string().nullable(),
  /** The part of the passage worth showing, around its first matches. */
  snippet: z.string(),
  /** Matches within `snippet`, sorted and not overlapping. */
  highlights: z.array(SearchHighlightSchema),
  /** The passage's range in the document's text at `version`; what "open at passage" selects. */
  startOffset: z.number().int().nonnegative(),
  endOffset: z.number().int().nonnegative(),
  /** The document version the passage was indexed from; the text may have moved on since. */
  version: z.number().int().nonnegative(),
  score: z.number(),
});
export type SearchPassageDto = z.infer<typeof SearchPassageSchema>;

/** One document, with its best passages first. */
export const SearchResultSchema = z.object({
  sourceType: SearchSourceTypeSchema,
  documentId: z.uuid(),
  title: z.string(),
  /** Query terms found in the title. */
  titleHighlights: z.array(SearchHighlightSchema),
  projectId: z.uuid(),
  /** Null when the project could not be named (say, it was deleted after the search ran). */
  projectName: z.string().nullable(),
  /** The best passage's score; results are sorted by it. */
  score: z.number(),
  passages: z.array(SearchPassageSchema).min(1).max(SEARCH_PASSAGES_PER_RESULT_MAX),
});
export type SearchResultDto = z.infer<typeof SearchResultSchema>;

/**
 * How the results were found, so the UI can say so honestly: the offline embedder hashes words, so its
 * "similar" means lexical or near-lexical (shared words and word pieces), not meaning.
 */
export const SearchRetrievalSchema = z.object({
  /** The embedder's id, e.g. "offline-hashing-384". */
  embedder: z.string(),
  /** True only for a real embedding model, whose matches can share meaning without sharing words. */
  semantic: z.boolean(),
});
export type SearchRetrievalDto = z.infer<typeof SearchRetrievalSchema>;

export const SearchResponseSchema = z.object({
  /** The query as searched (trimmed). */
  query: z.string(),
  results: z.array(SearchResultSchema),
  retrieval: SearchRetrievalSchema,
});
export type SearchResponseDto = z.infer<typeof SearchResponseSchema>;
