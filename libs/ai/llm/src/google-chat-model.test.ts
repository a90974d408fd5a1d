import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChatMessage, ToolSpec } from "./chat-model";
import { createGoogleChatModel } from "./google-chat-model";
import { collectTurn } from "./testing/collect";
import type { FakeProvider } from "./testing/fake-openai";
import { googleReplies, startFakeGoogle } from "./testing/fake-google";

const KEY = "AIza-test-0123456789abcdef";
const SENTINEL = "SENTINEL-provider-body-4711";

const tools: ToolSpec[] = [
  {
    name: "search_documents",
    description: "Search the workspace",
    inputSchema: { type: "object", properties: { query: { type: "string" } }, required: ["query"] },
  },
];

describe("Google Gemini chat model", () => {
  let fake: FakeProvider;
  beforeEach(async () => {
    fake = await startFakeGoogle({ apiKey: KEY });
  });
  afterEach(async () => {
    await fake.close();
  });

  const model = (overrides: Partial<Parameters<typeof createGoogleChatModel>[0]> = {}) =>
    createGoogleChatModel({ model: "gemini-2.5-flash", apiKey: KEY, baseUrl: fake.baseUrl, ...overrides });

  it("streams text in pieces over ?alt=sse and reports usage", async () => {
    fake.enqueue(
      googleReplies.text(["Ada ", "owns ", "billing [1]."], {
        usage: { promptTokenCount: 90, candidatesTokenCount: 6 },
      }),
    );
    const messages: ChatMessage[] = [
      { role: "system", content: "Answer from the workspace." },
      { role: "user", content: "Who owns billing?" },
    ];
    const turn = await collectTurn(model().stream({ messages, tools, maxOutputTokens: 200, temperature: 0.2 }));

    expect(turn.events.filter((e) => e.type === "text")).toHaveLength(3);
    expect(turn.text).toBe("Ada owns billing [1].");
    expect(turn.events.at(-1)).toEqual({
      type: "done",
      finishReason: "stop",
      usage: { inputTokens: 90, outputTokens: 6 },
    });

    const [request] = fake.requests;
    expect(request?.path).toBe("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    expect(request?.headers["x-goog-api-key"]).toBe(KEY);
    expect(request?.body).toMatchObject({
      contents: [{ role: "user", parts: [{ text: "Who owns billing?" }] }],
      systemInstruction: { parts: [{ text: "Answer from the workspace." }] },
      tools: [{ functionDeclarations: [{ name: "search_documents", parametersJsonSchema: tools[0]?.inputSchema }] }],
      generationConfig: { maxOutputTokens: 200, temperature: 0.2 },
    });
  });

  it("emits function calls and sends them back with their responses and thought signature", async () => {
    fake.enqueue(
      googleReplies.functionCalls([{ name: "search_documents", args: { query: "billing" } }], {
        preamble: "Looking.",
        thoughtSignature: "c2lnbmF0dXJl",
      }),
      googleReplies.text(["Ada [1]."]),
    );
    const question: ChatMessage[] = [{ role: "user", content: "Who owns billing?" }];
    const first = await collectTurn(model().stream({ messages: question, tools }));
    expect(first.text).toBe("Looking.");
    expect(first.finishReason).toBe("tool_calls");
    expect(first.toolCalls).toEqual([
      { id: expect.any(String), name: "search_documents", arguments: { query: "billing" }, signature: "c2lnbmF0dXJl" },
    ]);

    const call = first.toolCalls[0]!;
    const followUp: ChatMessage[] = [
      ...question,
      { role: "assistant", content: first.text, toolCalls: first.toolCalls },
      { role: "tool", toolCallId: call.id, name: call.name, content: "[1] Billing — owner: Ada" },
    ];
    const second = await collectTurn(model().stream({ messages: followUp, tools }));
    expect(second.text).toBe("Ada [1].");
    expect(fake.requests[1]?.body.contents).toEqual([
      { role: "user", parts: [{ text: "Who owns billing?" }] },
      {
        role: "model",
        parts: [
          { text: "Looking." },
          { functionCall: { name: "search_documents", args: { query: "billing" } }, thoughtSignature: "c2lnbmF0dXJl" },
        ],
      },
      {
        role: "user",
        parts: [{ functionResponse: { name: "search_documents", response: { output: "[1] Billing — owner: Ada" } } }],
      },
    ]);
  });

  it("keeps ids the API issued on function calls and responses", async () => {
    fake.enqueue(googleReplies.functionCalls([{ id: "fc-77", name: "search_documents", args: { query: "x" } }]));
    const turn = await collectTurn(model().stream({ messages: [{ role: "user", content: "x" }], tools }));
    expect(turn.toolCalls[0]?.id).toBe("fc-77");
  });

  it("maps a 429 to ai_rate_limited with RetryInfo's delay", async () => {
    fake.enqueue(googleReplies.rateLimited(33, SENTINEL));
    const failure = await collectTurn(model().stream({ messages: [{ role: "user", content: "x" }] })).catch((e) => e);
    expect(failure).toMatchObject({
      code: "ai_rate_limited",
      details: { provider: "google", status: 429, retryAfterSeconds: 33, providerCode: "RESOURCE_EXHAUSTED" },
    });
    expect(failure.message).not.toContain(SENTINEL);
    expect(fake.requests).toHaveLength(1);
  });

  it("maps a 500 to ai_provider_error without leaking the body or the key", async () => {
    fake.enqueue(googleReplies.serverError(`${SENTINEL} ${KEY}`));
    const failure = await collectTurn(
      model({ maxRetries: 0 }).stream({ messages: [{ role: "user", content: "x" }] }),
    ).catch((e) => e);
    expect(failure).toMatchObject({ code: "ai_provider_error", details: { provider: "google", status: 500 } });
    const visible = JSON.stringify({
      message: failure.message,
      details: failure.details,
      cause: String(failure.cause),
    });
    expect(visible).not.toContain(SENTINEL);
    expect(visible).not.toContain(KEY);
  });

  it("retries a 500 before any token, then streams", async () => {
    fake.enqueue(googleReplies.serverError(), googleReplies.text(["ok"]));
    const turn = await collectTurn(model().stream({ messages: [{ role: "user", content: "x" }] }));
    expect(turn.text).toBe("ok");
    expect(fake.requests).toHaveLength(2);
  });

  it("times out a provider that never answers", async () => {
    fake.enqueue(googleReplies.hang());
    const failure = await collectTurn(
      model({ timeoutMs: 300 }).stream({ messages: [{ role: "user", content: "x" }] }),
    ).catch((e) => e);
    expect(failure).toMatchObject({ code: "ai_timeout", details: { provider: "google" } });
  });

  it("times out a stream that stalls mid-answer", async () => {
    fake.enqueue(googleReplies.stallAfter(["Ada "]));
    const failure = await collectTurn(
      model({ timeoutMs: 400 }).stream({ messages: [{ role: "user", content: "x" }] }),
    ).catch((e) => e);
    expect(failure).toMatchObject({ code: "ai_timeout" });
    expect(fake.requests).toHaveLength(1);
  });
});
