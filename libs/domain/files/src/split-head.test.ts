import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { splitHead } from "./split-head";

describe("splitHead", () => {
  it("gives the first bytes and a body that still holds every byte, in order", async () => {
    const parts = ["abc", "defgh", "ij", "klmnop"].map((s) => Buffer.from(s));
    const { head, body } = await splitHead(Readable.from(parts), 4);
    expect(head.toString()).toBe("abcd");
    expect((await buffer(body)).toString()).toBe("abcdefghijklmnop");
  });

  it("copes with a body shorter than the head", async () => {
    const { head, body } = await splitHead(Readable.from([Buffer.from("hi")]), 4100);
    expect(head.toString()).toBe("hi");
    expect((await buffer(body)).toString()).toBe("hi");
  });

  it("gives an empty head for an empty body", async () => {
    const { head, body } = await splitHead(Readable.from([]), 16);
    expect(head.length).toBe(0);
    expect((await buffer(body)).length).toBe(0);
  });
});
