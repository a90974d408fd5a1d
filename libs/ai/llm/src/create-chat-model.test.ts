import { describe, expect, it } from "vitest";
import { chatModelFromConfig, createChatModel } from "./create-chat-model";
import { approximateTokens, contextTokensFor, estimateCostUsd, hasKnownPrice } from "./model-catalog";
import { collectTurn } from "./testing/collect";
import { openAiReplies, startFakeOpenAi } from "./testing/fake-openai";

const defaults = { AI_CHAT_TIMEOUT_MS: 60_000, AI_CHAT_MAX_OUTPUT_TOKENS: 1024 };

describe("choosing the chat model from configuration", () => {
  it("uses the extractive answerer by default", () => {
    expect(chatModelFromConfig({ AI_CHAT_PROVIDER: "extractive", ...defaults })).toMatchObject({
      provider: "extractive",
      generative: false,
    });
  });

  it("builds each hosted provider with its model and the catalog's context window", () => {
    const key = { AI_CHAT_API_KEY: "k", ...defaults };
    expect(chatModelFromConfig({ AI_CHAT_PROVIDER: "openai", AI_CHAT_MODEL: "gpt-4o-mini", ...key })).toMatchObject({
      provider: "openai",
      model: "gpt-4o-mini",
      generative: true,
      contextTokens: 128_000,
    });
    expect(
      chatModelFromConfig({ AI_CHAT_PROVIDER: "anthropic", AI_CHAT_MODEL: "claude-haiku-4-5", ...key }),
    ).toMatchObject({
      provider: "anthropic",
      contextTokens: 200_000,
    });
    expect(
      chatModelFromConfig({ AI_CHAT_PROVIDER: "google", AI_CHAT_MODEL: "gemini-2.5-flash", ...key }),
    ).toMatchObject({
      provider: "google",
      contextTokens: 1_048_576,
    });
  });

  it("throws ai_not_configured naming the missing variable", () => {
    expect(() => createChatModel({ provider: "openai", model: "gpt-4o-mini" })).toThrow(
      expect.objectContaining({ code: "ai_not_configured", message: expect.stringMatching(/AI_CHAT_API_KEY/) }),
    );
    expect(() => createChatModel({ provider: "google", apiKey: "k" })).toThrow(/AI_CHAT_MODEL/);
  });

  it("streams from an OpenAI-compatible server chosen by configuration, a tool call then text", async () => {
    const fake = await startFakeOpenAi();
    try {
      fake.enqueue(
        openAiReplies.toolCalls([{ id: "call_1", name: "search_documents", arguments: { query: "runbook" } }]),
        openAiReplies.text(["Found it [1]."]),
      );
      const model = chatModelFromConfig({
        AI_CHAT_PROVIDER: "openai-compatible",
        AI_CHAT_MODEL: "qwen2.5:7b",
        AI_CHAT_BASE_URL: fake.baseUrl,
        ...defaults,
      });
      const first = await collectTurn(model.stream({ messages: [{ role: "user", content: "runbook?" }] }));
      expect(first.toolCalls).toEqual([{ id: "call_1", name: "search_documents", arguments: { query: "runbook" } }]);
      const second = await collectTurn(
        model.stream({
          messages: [
            { role: "user", content: "runbook?" },
            { role: "assistant", content: "", toolCalls: first.toolCalls },
            { role: "tool", toolCallId: "call_1", name: "search_documents", content: "[1] Runbook" },
          ],
        }),
      );
      expect(second.text).toBe("Found it [1].");
      expect(fake.requests[1]?.body).toMatchObject({ model: "qwen2.5:7b", max_tokens: 1024 });
    } finally {
      await fake.close();
    }
  });
});

describe("cost and token estimates", () => {
  it("prices known models per million tokens, dated snapshots included", () => {
    expect(estimateCostUsd("openai", "gpt-4o-mini", { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBeCloseTo(
      0.75,
    );
    expect(estimateCostUsd("openai", "gpt-4o-2024-08-06", { inputTokens: 2_000, outputTokens: 500 })).toBeCloseTo(0.01);
    expect(
      estimateCostUsd("anthropic", "claude-sonnet-4-5-20250929", { inputTokens: 1_000, outputTokens: 1_000 }),
    ).toBeCloseTo(0.018);
    expect(estimateCostUsd("google", "gemini-2.5-flash-lite", { inputTokens: 10_000, outputTokens: 0 })).toBeCloseTo(
      0.001,
    );
  });

  it("returns 0 for the extractive answerer, self-hosted servers and unknown models, and says which are unknown", () => {
    const usage = { inputTokens: 5_000, outputTokens: 5_000 };
    expect(estimateCostUsd("extractive", "extractive-quotes", usage)).toBe(0);
    expect(estimateCostUsd("openai-compatible", "gpt-4o", usage)).toBe(0);
    expect(estimateCostUsd("openai", "gpt-9-ultra", usage)).toBe(0);
    expect(hasKnownPrice("openai", "gpt-9-ultra")).toBe(false);
    expect(hasKnownPrice("openai", "gpt-4o-mini-2024-07-18")).toBe(true);
    // A family name must not price a different generation: gpt-5.4 is not gpt-5.
    expect(hasKnownPrice("openai", "gpt-5.4")).toBe(false);
  });

  it("budgets a small context for self-hosted models unless told otherwise", () => {
    expect(contextTokensFor("openai-compatible", "llama3.1:8b")).toBe(8_192);
    expect(
      createChatModel({
        provider: "openai-compatible",
        model: "m",
        baseUrl: "http://127.0.0.1:1/v1",
        contextTokens: 32_768,
      }).contextTokens,
    ).toBe(32_768);
  });

  it("approximates tokens as a quarter of the characters", () => {
    expect(approximateTokens("")).toBe(0);
    expect(approximateTokens("abcd")).toBe(1);
    expect(approximateTokens("a".repeat(4001))).toBe(1001);
  });
});
