import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChatMessage, ToolSpec } from "./chat-model";
import { createAnthropicChatModel } from "./anthropic-chat-model";
import { collectTurn } from "./testing/collect";
import { anthropicReplies, startFakeAnthropic } from "./testing/fake-anthropic";
import type { FakeProvider } from "./testing/fake-openai";

const KEY = "sk-ant-test-0123456789abcdef";
const SENTINEL = "SENTINEL-provider-body-4711";

const conversation: ChatMessage[] = [
  { role: "system", content: "Answer from the workspace." },
  { role: "user", content: "Who owns billing and payroll?" },
  {
    role: "assistant",
    content: "Let me look.",
    toolCalls: [
      { id: "toolu_1", name: "search_documents", arguments: { query: "billing" } },
      { id: "toolu_2", name: "search_documents", arguments: { query: "payroll" } },
    ],
  },
  { role: "tool", toolCallId: "toolu_1", name: "search_documents", content: "[1] Billing — owner: Ada" },
  { role: "tool", toolCallId: "toolu_2", name: "search_documents", content: "[2] Payroll — owner: Grace" },
];
const tools: ToolSpec[] = [
  {
    name: "search_documents",
    description: "Search the workspace",
    inputSchema: { type: "object", properties: { query: { type: "string" } }, required: ["query"] },
  },
];

describe("Anthropic chat model", () => {
  let fake: FakeProvider;
  beforeEach(async () => {
    fake = await startFakeAnthropic({ apiKey: KEY });
  });
  afterEach(async () => {
    await fake.close();
  });

  const model = (overrides: Partial<Parameters<typeof createAnthropicChatModel>[0]> = {}) =>
    createAnthropicChatModel({ model: "claude-sonnet-4-6", apiKey: KEY, baseUrl: fake.baseUrl, ...overrides });

  it("streams text in pieces, with the system prompt in `system` and tool results as tool_result blocks", async () => {
    fake.enqueue(
      anthropicReplies.text(["Ada owns ", "billing [1], ", "Grace payroll [2]."], {
        usage: { input_tokens: 310, output_tokens: 14 },
      }),
    );
    const turn = await collectTurn(model().stream({ messages: conversation, tools, maxOutputTokens: 500 }));

    expect(turn.text).toBe("Ada owns billing [1], Grace payroll [2].");
    expect(turn.events.filter((e) => e.type === "text")).toHaveLength(3);
    expect(turn.events.at(-1)).toEqual({
      type: "done",
      finishReason: "stop",
      usage: { inputTokens: 310, outputTokens: 14 },
    });

    const [request] = fake.requests;
    expect(request?.path).toBe("/v1/messages");
    // SDK 1.x sends the key as a bearer token rather than the older x-api-key header.
    expect(request?.headers["x-api-key"] ?? request?.headers.authorization).toMatch(new RegExp(`^(Bearer )?${KEY}$`));
    expect(request?.headers["anthropic-version"]).toBeTruthy();
    expect(request?.body).toMatchObject({
      model: "claude-sonnet-4-6",
      max_tokens: 500,
      stream: true,
      system: "Answer from the workspace.",
      tools: [{ name: "search_documents", description: "Search the workspace", input_schema: tools[0]?.inputSchema }],
      messages: [
        { role: "user", content: [{ type: "text", text: "Who owns billing and payroll?" }] },
        {
          role: "assistant",
          content: [
            { type: "text", text: "Let me look." },
            { type: "tool_use", id: "toolu_1", name: "search_documents", input: { query: "billing" } },
            { type: "tool_use", id: "toolu_2", name: "search_documents", input: { query: "payroll" } },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "toolu_1", content: "[1] Billing — owner: Ada" },
            { type: "tool_result", tool_use_id: "toolu_2", content: "[2] Payroll — owner: Grace" },
          ],
        },
      ],
    });
  });

  it("assembles tool input from input_json_delta pieces, after any preamble text", async () => {
    fake.enqueue(
      anthropicReplies.toolUse(
        [{ id: "toolu_9", name: "search_documents", input: { query: "billing owner", limit: 3 } }],
        {
          preamble: "Searching.",
          inputPieces: 5,
          splitFrames: true,
        },
      ),
    );
    const turn = await collectTurn(model().stream({ messages: conversation.slice(0, 2), tools }));
    expect(turn.text).toBe("Searching.");
    expect(turn.toolCalls).toEqual([
      { id: "toolu_9", name: "search_documents", arguments: { query: "billing owner", limit: 3 } },
    ]);
    expect(turn.finishReason).toBe("tool_calls");
  });

  it("maps a 429 to ai_rate_limited and keeps the retry-after", async () => {
    fake.enqueue(anthropicReplies.rateLimited(45, SENTINEL));
    const failure = await collectTurn(model().stream({ messages: conversation })).catch((e) => e);
    expect(failure).toMatchObject({
      code: "ai_rate_limited",
      details: { provider: "anthropic", status: 429, retryAfterSeconds: 45, providerCode: "rate_limit_error" },
    });
    expect(failure.message).not.toContain(SENTINEL);
    expect(fake.requests).toHaveLength(1);
  });

  it("maps a 500 to ai_provider_error without leaking the body or the key", async () => {
    fake.enqueue(anthropicReplies.serverError(`${SENTINEL} ${KEY}`));
    const failure = await collectTurn(model({ maxRetries: 0 }).stream({ messages: conversation })).catch((e) => e);
    expect(failure).toMatchObject({ code: "ai_provider_error", details: { provider: "anthropic", status: 500 } });
    const visible = JSON.stringify({
      message: failure.message,
      details: failure.details,
      cause: String(failure.cause),
    });
    expect(visible).not.toContain(SENTINEL);
    expect(visible).not.toContain(KEY);
  });

  it("retries an overloaded error that arrives inside the stream before any text", async () => {
    fake.enqueue(anthropicReplies.overloadedMidStream(), anthropicReplies.text(["recovered"]));
    const turn = await collectTurn(model().stream({ messages: conversation }));
    expect(turn.text).toBe("recovered");
    expect(fake.requests).toHaveLength(2);
  });

  it("times out a provider that never answers", async () => {
    fake.enqueue(anthropicReplies.hang());
    const failure = await collectTurn(model({ timeoutMs: 300 }).stream({ messages: conversation })).catch((e) => e);
    expect(failure).toMatchObject({ code: "ai_timeout", details: { provider: "anthropic" } });
  });

  it("times out a stream that stalls mid-answer without retrying it", async () => {
    fake.enqueue(anthropicReplies.stallAfter(["Ada "]), anthropicReplies.text(["unused"]));
    const failure = await collectTurn(model({ timeoutMs: 400 }).stream({ messages: conversation })).catch((e) => e);
    expect(failure).toMatchObject({ code: "ai_timeout" });
    expect(fake.requests).toHaveLength(1);
  });

  it("refuses to start without an API key", () => {
    expect(() => createAnthropicChatModel({ model: "claude-sonnet-4-6" })).toThrow(/AI_CHAT_API_KEY/);
  });
});
