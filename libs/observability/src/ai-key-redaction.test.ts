import { describe, expect, it } from "vitest";
import { createLogger } from "./logger";
import { createMemoryLog } from "./testing/memory-log";

describe("model provider keys in logs", () => {
  it("are redacted in a logged configuration and in provider request headers", () => {
    const log = createMemoryLog();
    const logger = createLogger({ service: "ai", level: "info", destination: log.destination });
    logger.info(
      {
        config: { AI_CHAT_PROVIDER: "openai", AI_CHAT_API_KEY: "sk-live-abc", AI_EMBEDDINGS_API_KEY: "sk-emb-def" },
        pinecone: { PINECONE_API_KEY: "pcsk_ghi" },
        req: { headers: { "x-goog-api-key": "AIza-jkl", "api-key": "azure-mno" } },
      },
      "starting",
    );
    const text = log.text();
    for (const secret of ["sk-live-abc", "sk-emb-def", "pcsk_ghi", "AIza-jkl", "azure-mno"])
      expect(text).not.toContain(secret);
    expect(log.lines()[0]).toMatchObject({ config: { AI_CHAT_PROVIDER: "openai", AI_CHAT_API_KEY: "[redacted]" } });
  });
});
