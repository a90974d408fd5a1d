import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChatMessage, ToolSpec } from "./chat-model";
import { createOpenAiChatModel, createOpenAiCompatibleChatModel } from "./openai-chat-model";
import { collectTurn } from "./testing/collect";
import { openAiReplies, startFakeOpenAi, type FakeProvider } from "./testing/fake-openai";

const KEY = "sk-test-0123456789abcdef";
const SENTINEL = "SENTINEL-provider-body-4711";

const conversation: ChatMessage[] = [
  { role: "system", content: "Answer from the workspace." },
  { role: "user", content: "Who owns the billing doc?" },
  {
    role: "assistant",
    content: "",
    toolCalls: [{ id: "call_1", name: "search_documents", arguments: { query: "billing" } }],
  },
  { role: "tool", toolCallId: "call_1", name: "search_documents", content: "[1] Billing — owner: Ada" },
];
const tools: ToolSpec[] = [
  {
    name: "search_documents",
    description: "Search the workspace",
    inputSchema: { type: "object", properties: { query: { type: "string" } }, required: ["query"] },
  },
];

describe("OpenAI chat model", () => {
  let fake: FakeProvider;
  beforeEach(async () => {
    fake = await startFakeOpenAi({ apiKey: KEY });
  });
  afterEach(async () => {
    await fake.close();
  });

  const model = (overrides: Partial<Parameters<typeof createOpenAiChatModel>[0]> = {}) =>
    createOpenAiChatModel({ model: "gpt-4o-mini", apiKey: KEY, baseUrl: fake.baseUrl, ...overrides });

  it("streams text in pieces and reports usage and the finish reason", async () => {
    fake.enqueue(
      openAiReplies.text(["Ada ", "owns ", "it [1]."], { usage: { prompt_tokens: 120, completion_tokens: 9 } }),
    );
    const turn = await collectTurn(model().stream({ messages: conversation, tools, maxOutputTokens: 300 }));

    expect(turn.events.filter((e) => e.type === "text").map((e) => (e.type === "text" ? e.delta : ""))).toEqual([
      "Ada ",
      "owns ",
      "it [1].",
    ]);
    expect(turn.events.at(-1)).toEqual({
      type: "done",
      finishReason: "stop",
      usage: { inputTokens: 120, outputTokens: 9 },
    });

    const [request] = fake.requests;
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request?.body).toMatchObject({
      model: "gpt-4o-mini",
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 300,
      tools: [{ type: "function", function: { name: "search_documents", parameters: tools[0]?.inputSchema } }],
      messages: [
        { role: "system", content: "Answer from the workspace." },
        { role: "user", content: "Who owns the billing doc?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_1",
              type: "function",
              function: { name: "search_documents", arguments: '{"query":"billing"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "[1] Billing — owner: Ada" },
      ],
    });
  });

  it("reads frames that arrive cut in half", async () => {
    fake.enqueue(openAiReplies.text(["split ", "frames"], { splitFrames: true }));
    const turn = await collectTurn(model().stream({ messages: [{ role: "user", content: "hi" }] }));
    expect(turn.text).toBe("split frames");
  });

  it("accumulates tool-call arguments split across deltas, per index", async () => {
    fake.enqueue(
      openAiReplies.toolCalls(
        [
          { id: "call_a", name: "search_documents", arguments: { query: "billing owner", limit: 5 } },
          { id: "call_b", name: "read_document", arguments: { id: "doc-7" } },
        ],
        { argumentPieces: 4 },
      ),
    );
    const turn = await collectTurn(model().stream({ messages: conversation.slice(0, 2), tools }));
    expect(turn.toolCalls).toEqual([
      { id: "call_a", name: "search_documents", arguments: { query: "billing owner", limit: 5 } },
      { id: "call_b", name: "read_document", arguments: { id: "doc-7" } },
    ]);
    expect(turn.finishReason).toBe("tool_calls");
    expect(turn.text).toBe("");
  });

  it("maps a 429 to ai_rate_limited with the retry-after, without waiting longer than allowed", async () => {
    fake.enqueue(openAiReplies.rateLimited(30, SENTINEL));
    const failure = await collectTurn(model({ maxRetryDelayMs: 5_000 }).stream({ messages: conversation })).catch(
      (e) => e,
    );
    expect(failure).toMatchObject({
      code: "ai_rate_limited",
      details: { provider: "openai", status: 429, retryAfterSeconds: 30, requestId: "req_fake429" },
    });
    expect(failure.message).toMatch(/try again in 30 s/);
    expect(fake.requests).toHaveLength(1);
  });

  it("retries a 429 whose retry-after is short, before any token was streamed", async () => {
    fake.enqueue(openAiReplies.rateLimited(0), openAiReplies.text(["after retry"]));
    const turn = await collectTurn(model().stream({ messages: conversation }));
    expect(turn.text).toBe("after retry");
    expect(fake.requests).toHaveLength(2);
  });

  it("maps a 500 to ai_provider_error without leaking the body or the key", async () => {
    fake.enqueue(openAiReplies.serverError(`${SENTINEL} ${KEY}`), openAiReplies.serverError(SENTINEL));
    const failure = await collectTurn(model({ maxRetries: 1 }).stream({ messages: conversation })).catch((e) => e);
    expect(failure).toMatchObject({ code: "ai_provider_error", details: { provider: "openai", status: 500 } });
    const visible = JSON.stringify({
      message: failure.message,
      details: failure.details,
      cause: String(failure.cause),
    });
    expect(visible).not.toContain(SENTINEL);
    expect(visible).not.toContain(KEY);
    expect(fake.requests).toHaveLength(2);
  });

  it("times out a provider that never answers", async () => {
    fake.enqueue(openAiReplies.hang());
    const failure = await collectTurn(model({ timeoutMs: 300 }).stream({ messages: conversation })).catch((e) => e);
    expect(failure).toMatchObject({ code: "ai_timeout", details: { provider: "openai" } });
  });

  it("times out a stream that stalls after the first tokens, and does not retry it", async () => {
    fake.enqueue(openAiReplies.stallAfter(["Ada "]), openAiReplies.text(["should not be used"]));
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const event of model({ timeoutMs: 400 }).stream({ messages: conversation })) {
        if (event.type === "text") seen.push(event.delta);
      }
    })().catch((e) => e);
    expect(seen).toEqual(["Ada "]);
    expect(failure).toMatchObject({ code: "ai_timeout" });
    expect(fake.requests).toHaveLength(1);
  });

  it("stops when the caller aborts, with an AbortError", async () => {
    fake.enqueue(openAiReplies.hang());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const failure = await collectTurn(model().stream({ messages: conversation, signal: controller.signal })).catch(
      (e) => e,
    );
    expect(failure).toMatchObject({ name: "AbortError" });
  });

  it("reports a stream cut before the finish reason as ai_provider_error", async () => {
    const cut = openAiReplies.text(["partial"]);
    if (cut.type === "sse") cut.frames = cut.frames.slice(0, 2);
    fake.enqueue(cut);
    const failure = await collectTurn(model({ maxRetries: 0 }).stream({ messages: conversation })).catch((e) => e);
    expect(failure).toMatchObject({ code: "ai_provider_error" });
  });
});

describe("OpenAI-compatible chat model", () => {
  it("sends no Authorization header without a key and caps output with max_tokens", async () => {
    const fake = await startFakeOpenAi();
    try {
      fake.enqueue(openAiReplies.text(["local ", "model"], { model: "llama3.1:8b" }));
      const model = createOpenAiCompatibleChatModel({
        model: "llama3.1:8b",
        baseUrl: fake.baseUrl,
        maxOutputTokens: 256,
      });
      const turn = await collectTurn(model.stream({ messages: [{ role: "user", content: "hello" }] }));
      expect(turn.text).toBe("local model");
      expect(model).toMatchObject({ provider: "openai-compatible", generative: true, contextTokens: 8_192 });
      expect(fake.requests[0]?.headers.authorization).toBeUndefined();
      expect(fake.requests[0]?.body).toMatchObject({ model: "llama3.1:8b", max_tokens: 256 });
    } finally {
      await fake.close();
    }
  });

  it("refuses to start without a base URL", () => {
    expect(() => createOpenAiCompatibleChatModel({ model: "llama3.1:8b" })).toThrow(/AI_CHAT_BASE_URL/);
  });
});
