import { notFound } from "@devflow/util-core";
import { describe, expect, it } from "vitest";
import { passageSelectionOf } from "./passage-selection";

const v3 = "# Retries\n\nWebhooks are retried with exponential backoff.\n";
const v5 = "# Delivery\n\nIntro added later.\n\n# Retries\n\nWebhooks are retried with exponential backoff.\n";
const passage = "Webhooks are retried with exponential backoff.";
const at3 = `${v3.indexOf(passage)}-${v3.indexOf(passage) + passage.length}`;

function history(texts: Record<number, string>) {
  const asked: number[] = [];
  const textAt = async (version: number) => {
    asked.push(version);
    const text = texts[version];
    if (text === undefined) throw notFound("Version", String(version));
    return text;
  };
  return { textAt, asked };
}

describe("passageSelectionOf", () => {
  it("selects the range as given when the document is still at the indexed version", async () => {
    const { textAt, asked } = history({});
    const selection = await passageSelectionOf({ at: at3, v: "3" }, { version: 3, content: v3 }, textAt);
    expect(v3.slice(selection!.from, selection!.to)).toBe(passage);
    expect(asked).toEqual([]);
  });

  it("finds the passage again in a document that changed since it was indexed", async () => {
    const { textAt, asked } = history({ 3: v3 });
    const selection = await passageSelectionOf({ at: at3, v: "3" }, { version: 5, content: v5 }, textAt);
    expect(asked).toEqual([3]);
    expect(v5.slice(selection!.from, selection!.to)).toBe(passage);
  });

  it("opens without a selection when the passage was deleted since", async () => {
    const { textAt } = history({ 3: v3 });
    const selection = await passageSelectionOf(
      { at: at3, v: "3" },
      { version: 6, content: "# Retries\n\nGone.\n" },
      textAt,
    );
    expect(selection).toBeNull();
  });

  it("opens without a selection for a malformed link or a version the document never had", async () => {
    const { textAt, asked } = history({});
    expect(await passageSelectionOf({ at: "x", v: "3" }, { version: 3, content: v3 }, textAt)).toBeNull();
    expect(await passageSelectionOf({ at: at3, v: "9" }, { version: 5, content: v5 }, textAt)).toBeNull();
    expect(await passageSelectionOf({ at: at3, v: "2" }, { version: 5, content: v5 }, textAt)).toBeNull();
    expect(asked).toEqual([2]);
  });

  it("passes on failures other than a missing version", async () => {
    const failing = async () => {
      throw new Error("connection reset");
    };
    await expect(passageSelectionOf({ at: at3, v: "3" }, { version: 5, content: v5 }, failing)).rejects.toThrow(
      "connection reset",
    );
  });
});
