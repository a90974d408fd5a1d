import type { ChatProviderName, TokenUsage } from "./chat-model";

/**
 * What we know about a hosted model: list price in USD per million tokens and its context window.
 * Prices are the providers' published standard (non-batch, non-cached, short-prompt) rates for the
 * models listed, as of late 2025; they drift, so every figure computed from them is an ESTIMATE for
 * the activity views, never a bill. A model not listed is "unknown" (`hasKnownPrice` is false) rather
 * than guessed from a sibling: newer generations have been repriced both up and down.
 *
 * A row matches its exact id or the id followed by `-…` (dated snapshots such as
 * `gpt-4o-2024-08-06`, `claude-sonnet-4-5-20250929`); the longest matching row wins.
 */
interface CatalogEntry {
  provider: Exclude<ChatProviderName, "extractive" | "openai-compatible">;
  id: string;
  inputPerMillion: number;
  outputPerMillion: number;
  contextTokens: number;
}

const row = (
  provider: CatalogEntry["provider"],
  id: string,
  inputPerMillion: number,
  outputPerMillion: number,
  contextTokens: number,
): CatalogEntry => ({ provider, id, inputPerMillion, outputPerMillion, contextTokens });

const CATALOG: readonly CatalogEntry[] = [
  row("openai", "gpt-4o", 2.5, 10, 128_000),
  row("openai", "gpt-4o-mini", 0.15, 0.6, 128_000),
  row("openai", "gpt-4.1", 2, 8, 1_047_576),
  row("openai", "gpt-4.1-mini", 0.4, 1.6, 1_047_576),
  row("openai", "gpt-4.1-nano", 0.1, 0.4, 1_047_576),
  row("openai", "gpt-5", 1.25, 10, 400_000),
  row("openai", "gpt-5-mini", 0.25, 2, 400_000),
  row("openai", "gpt-5-nano", 0.05, 0.4, 400_000),
  row("openai", "gpt-5.1", 1.25, 10, 400_000),
  row("openai", "o3", 2, 8, 200_000),
  row("openai", "o3-mini", 1.1, 4.4, 200_000),
  row("openai", "o4-mini", 1.1, 4.4, 200_000),
  row("anthropic", "claude-opus-4-0", 15, 75, 200_000),
  row("anthropic", "claude-opus-4-20250514", 15, 75, 200_000),
  row("anthropic", "claude-opus-4-1", 15, 75, 200_000),
  row("anthropic", "claude-opus-4-5", 5, 25, 200_000),
  row("anthropic", "claude-sonnet-4-0", 3, 15, 200_000),
  row("anthropic", "claude-sonnet-4-20250514", 3, 15, 200_000),
  row("anthropic", "claude-sonnet-4-5", 3, 15, 200_000),
  row("anthropic", "claude-3-7-sonnet", 3, 15, 200_000),
  row("anthropic", "claude-haiku-4-5", 1, 5, 200_000),
  row("anthropic", "claude-3-5-haiku", 0.8, 4, 200_000),
  row("google", "gemini-2.5-pro", 1.25, 10, 1_048_576),
  row("google", "gemini-2.5-flash", 0.3, 2.5, 1_048_576),
  row("google", "gemini-2.5-flash-lite", 0.1, 0.4, 1_048_576),
  row("google", "gemini-2.0-flash", 0.1, 0.4, 1_048_576),
  row("google", "gemini-2.0-flash-lite", 0.075, 0.3, 1_048_576),
];

/*
 * Context windows assumed for models the table does not know. Self-hosted servers are the tightest:
 * Ollama's default context is a few thousand tokens whatever the model supports, so budget low and
 * let the operator raise it with the `contextTokens` option.
 */
const DEFAULT_CONTEXT_TOKENS: Record<ChatProviderName, number> = {
  openai: 128_000,
  anthropic: 200_000,
  google: 1_048_576,
  "openai-compatible": 8_192,
  extractive: 8_192,
};

function findEntry(provider: ChatProviderName, model: string): CatalogEntry | undefined {
  const name = model.toLowerCase().replace(/^models\//, "");
  let best: CatalogEntry | undefined;
  for (const entry of CATALOG) {
    if (entry.provider !== provider || (name !== entry.id && !name.startsWith(`${entry.id}-`))) continue;
    if (!best || entry.id.length > best.id.length) best = entry;
  }
  return best;
}

/**
 * Estimated cost in USD of one call, from the list prices above. Returns 0 for the extractive
 * answerer, for OpenAI-compatible (self-hosted) servers, and for models the table does not know —
 * check `hasKnownPrice` before showing 0 as "free".
 */
export function estimateCostUsd(provider: ChatProviderName, model: string, usage: TokenUsage): number {
  const entry = findEntry(provider, model);
  if (!entry) return 0;
  const cost = (usage.inputTokens * entry.inputPerMillion + usage.outputTokens * entry.outputPerMillion) / 1_000_000;
  // Micro-dollar precision: enough for sums over many calls, without float noise in stored values.
  return Math.round(cost * 1_000_000) / 1_000_000;
}

/** True when `estimateCostUsd` has a price for this provider and model (false means "unknown", not "free"). */
export function hasKnownPrice(provider: ChatProviderName, model: string): boolean {
  return findEntry(provider, model) !== undefined;
}

/** The context window, in tokens, to budget against for a provider's model. */
export function contextTokensFor(provider: ChatProviderName, model: string): number {
  return findEntry(provider, model)?.contextTokens ?? DEFAULT_CONTEXT_TOKENS[provider];
}

/**
 * A rough token count (about four characters per token for English prose and code), for context
 * budgets before a request and for usage when an OpenAI-compatible server reports none. Not exact:
 * keep a margin.
 */
export function approximateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
