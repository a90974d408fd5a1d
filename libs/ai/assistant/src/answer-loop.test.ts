import type { ToolCallContext, ToolResult } from "@devflow/ai-tools";
import { AppError } from "@devflow/util-core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { runAnswerLoop, type AssistantToolRegistry, type LoopEvent, type LoopResult } from "./answer-loop";
import { scriptedChatModel } from "./testing/scripted-chat-model";

const ctx = { organizationId: "o", actor: { userId: "u", role: "member" as const }, requestId: "r" };

function registry(run: (name: string, input: unknown) => Promise<ToolResult>) {
  const calls: { call: ToolCallContext; name: string; input: unknown }[] = [];
  const tools: AssistantToolRegistry = {
    list: () => [{ name: "search_docs", description: "Search", input: z.object({ query: z.string() }) }],
    call: async (call, name, input) => {
      calls.push({ call, name, input });
      return run(name, input);
    },
  };
  return { tools, calls };
}

async function drain(loop: AsyncGenerator<LoopEvent, LoopResult>) {
  const events: LoopEvent[] = [];
  let step = await loop.next();
  while (!step.done) {
    events.push(step.value);
    step = await loop.next();
  }
  return { events, result: step.value };
}

const found: ToolResult = {
  output: {},
  text: "Cache doc: entries expire after one hour.",
  sources: [{ documentId: "d", title: "Cache", version: 2 }],
};

describe("runAnswerLoop", () => {
  it("streams text, runs the tools the model calls as the person on the assistant surface, and feeds results back", async () => {
    const model = scriptedChatModel([
      ["Let me look.", { call: { id: "t1", name: "search_docs", arguments: { query: "expiry" } } }],
      ["Entries expire ", "after one hour [1]."],
    ]);
    const { tools, calls } = registry(async () => found);
    const { events, result } = await drain(
      runAnswerLoop({
        ctx,
        model,
        messages: [{ role: "user", content: "q" }],
        passages: [],
        tools,
        maxToolRounds: 3,
        maxOutputTokens: 100,
      }),
    );
    expect(calls).toEqual([
      {
        call: expect.objectContaining({ ctx, agent: { surface: "assistant", name: "DevFlow assistant" } }),
        name: "search_docs",
        input: { query: "expiry" },
      },
    ]);
    expect(
      events.filter((e) => e.type === "tool").map((e) => e.type === "tool" && [e.activity.status, e.activity.summary]),
    ).toEqual([
      ["running", null],
      ["ok", "Cache"],
    ]);
    expect(result.text).toBe("Let me look.\n\nEntries expire after one hour [1].");
    expect(result.usage).toEqual({ inputTokens: 200, outputTokens: 40 });
    expect(model.requests[0]!.tools?.map((t) => t.name)).toEqual(["search_docs"]);
    expect(model.requests[0]!.tools?.[0]!.inputSchema).toMatchObject({
      type: "object",
      properties: { query: { type: "string" } },
    });
    expect(model.requests[1]!.messages.slice(-2)).toEqual([
      {
        role: "assistant",
        content: "Let me look.",
        toolCalls: [{ id: "t1", name: "search_docs", arguments: { query: "expiry" } }],
      },
      { role: "tool", toolCallId: "t1", name: "search_docs", content: found.text },
    ]);
  });

  it("tells the model a tool failed, with the error's own message only when it is meant for people", async () => {
    const model = scriptedChatModel([
      [
        { call: { id: "a", name: "search_docs", arguments: {} } },
        { call: { id: "b", name: "search_docs", arguments: {} } },
      ],
      ["Sorry."],
    ]);
    let n = 0;
    const { tools } = registry(async () => {
      n += 1;
      if (n === 1) throw new AppError("validation_failed", "query: Required");
      throw new Error("connection string postgres://secret");
    });
    const { result } = await drain(
      runAnswerLoop({ ctx, model, messages: [], passages: [], tools, maxToolRounds: 3, maxOutputTokens: 100 }),
    );
    expect(result.tools.map((t) => [t.status, t.summary])).toEqual([
      ["error", "query: Required"],
      ["error", "unexpected error"],
    ]);
    const fed = model.requests[1]!.messages.filter((m) => m.role === "tool").map((m) => m.content);
    expect(fed).toEqual(["The tool failed: query: Required", "The tool failed: unexpected error"]);
  });

  it("stops offering tools after the last round so the model has to answer", async () => {
    const again = { call: { id: "x", name: "search_docs", arguments: { query: "q" } } };
    const model = scriptedChatModel([[again], [again], ["Done."]]);
    const { tools, calls } = registry(async () => found);
    const { result } = await drain(
      runAnswerLoop({ ctx, model, messages: [], passages: [], tools, maxToolRounds: 2, maxOutputTokens: 100 }),
    );
    expect(calls).toHaveLength(2);
    expect(model.requests.map((r) => r.tools?.length ?? 0)).toEqual([1, 1, 0]);
    expect(result).toMatchObject({ text: "Done.", rounds: 3 });
  });

  it("offers no tools to a model that is not generative", async () => {
    const model = scriptedChatModel([["> quoted [1]"]], { generative: false });
    const { tools } = registry(async () => found);
    await drain(
      runAnswerLoop({ ctx, model, messages: [], passages: [], tools, maxToolRounds: 2, maxOutputTokens: 10 }),
    );
    expect(model.requests[0]!.tools).toBeUndefined();
  });

  it("stops when the signal aborts mid-stream", async () => {
    const model = scriptedChatModel([["a", "b", "c", "d"]]);
    const controller = new AbortController();
    const loop = runAnswerLoop({
      ctx,
      model,
      messages: [],
      passages: [],
      maxToolRounds: 0,
      maxOutputTokens: 10,
      signal: controller.signal,
    });
    expect(await loop.next()).toMatchObject({ value: { type: "delta", text: "a" } });
    controller.abort();
    await expect(loop.next()).rejects.toThrow();
  });
});
