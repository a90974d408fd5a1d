import { describe, expect, it } from "vitest";
import { OtClient, OtProtocolError } from "./ot-client";
import { apply } from "./text-op";

function client(version = 10): OtClient {
  return new OtClient({ clientId: "c", version });
}

describe("OtClient", () => {
  it("sends the first edit at once and buffers the next ones until the ack", () => {
    const c = client();
    expect(c.state).toBe("synchronized");
    expect(c.applyLocal(["a"])).toEqual({ clientOpId: "c:1", baseVersion: 10, op: ["a"] });
    expect(c.state).toBe("awaiting-confirm");
    expect(c.applyLocal([1, "b"])).toBeNull();
    expect(c.applyLocal([2, "c"])).toBeNull();
    expect(c.state).toBe("awaiting-with-buffer");
    expect(c.buffered).toEqual([1, "bc"]);
    expect(c.hasUnconfirmedEdits).toBe(true);

    expect(c.onAck(11, "c:1")).toEqual({ clientOpId: "c:2", baseVersion: 11, op: [1, "bc"] });
    expect(c.state).toBe("awaiting-confirm");
    expect(c.onAck(12, "c:2")).toBeNull();
    expect(c.state).toBe("synchronized");
    expect(c.version).toBe(12);
    expect(c.hasUnconfirmedEdits).toBe(false);
  });

  it("ignores edits that change nothing", () => {
    const c = client();
    expect(c.applyLocal([])).toBeNull();
    expect(c.applyLocal([3])).toBeNull();
    expect(c.state).toBe("synchronized");
  });

  it("rewrites a remote op over the op in flight and the buffer, and rebases both", () => {
    const c = client();
    let text = "hello";
    const local1 = [5, "!"];
    const local2 = [{ d: 1 }, "H"];
    text = apply(apply(text, local1), local2);
    c.applyLocal(local1);
    c.applyLocal(local2);

    const remote = [5, " world"];
    const { op, send } = c.onRemote(remote, 11, "other:1");
    expect(send).toBeNull();
    text = apply(text, op);
    expect(text).toBe("Hello world!");
    expect(c.version).toBe(11);
    expect(c.pending).toEqual({ clientOpId: "c:1", baseVersion: 11, op: [11, "!"] });

    // The server commits the op in flight as rebased, then the buffer.
    let server = apply("hello", remote);
    server = apply(server, c.pending!.op);
    const next = c.onAck(12, "c:1")!;
    server = apply(server, next.op);
    expect(server).toBe(text);
  });

  it("drops buffered edits that a remote op already made", () => {
    const c = client();
    c.applyLocal(["x"]);
    c.applyLocal([2, { d: 1 }]);
    const { op } = c.onRemote([1, { d: 1 }], 11);
    expect(op).toEqual([]);
    expect(c.buffered).toBeNull();
    expect(c.state).toBe("awaiting-confirm");
  });

  describe("ordering", () => {
    it("throws on an ack with the wrong version and keeps its state", () => {
      const c = client();
      c.applyLocal(["a"]);
      expect(() => c.onAck(12, "c:1")).toThrow(OtProtocolError);
      expect(() => c.onAck(10, "c:1")).toThrow(expect.objectContaining({ reason: "ack_out_of_order" }));
      expect(c.state).toBe("awaiting-confirm");
      expect(c.version).toBe(10);
      expect(c.onAck(11, "c:1")).toBeNull();
    });

    it("throws on an ack for an op that is not in flight", () => {
      const c = client();
      expect(() => c.onAck(11, "c:1")).toThrow(expect.objectContaining({ reason: "unexpected_ack" }));
      c.applyLocal(["a"]);
      expect(() => c.onAck(11, "c:2")).toThrow(expect.objectContaining({ reason: "unexpected_ack" }));
      expect(() => c.onAck(11, "d:1")).toThrow(expect.objectContaining({ reason: "unexpected_ack" }));
    });

    it("throws on a remote op that skips or repeats a version, without applying it", () => {
      const c = client();
      c.applyLocal(["a"]);
      expect(() => c.onRemote(["x"], 12)).toThrow(expect.objectContaining({ reason: "remote_out_of_order" }));
      expect(() => c.onRemote(["x"], 10)).toThrow(expect.objectContaining({ reason: "remote_out_of_order" }));
      expect(c.version).toBe(10);
      expect(c.pending?.op).toEqual(["a"]);
    });

    it("throws when the ack arrives after a remote op that already confirmed it with another version", () => {
      const c = client();
      c.applyLocal(["a"]);
      c.onRemote(["x"], 11, "c:1");
      expect(() => c.onAck(12, "c:1")).toThrow(OtProtocolError);
    });
  });

  describe("reconnecting", () => {
    it("keeps edits made while offline and resends the op in flight under the same id", () => {
      const c = client();
      c.applyLocal(["a"]);
      c.disconnect();
      expect(c.applyLocal([1, "b"])).toBeNull();
      // The join's catch-up: one op from someone else.
      const { op } = c.onRemote(["Z"], 11, "other:7");
      expect(op).toEqual(["Z"]);
      expect(c.resendPending()).toEqual({ clientOpId: "c:1", baseVersion: 11, op: [1, "a"] });
      expect(c.onAck(12, "c:1")).toEqual({ clientOpId: "c:2", baseVersion: 12, op: [2, "b"] });
    });

    it("treats its own op in the catch-up as the ack and ignores the server's repeated ack", () => {
      const c = client();
      c.applyLocal(["a"]);
      c.applyLocal([1, "b"]);
      c.disconnect();
      const echo = c.onRemote(["a"], 11, "c:1");
      expect(echo).toEqual({ op: [], send: null });
      expect(c.resendPending()).toEqual({ clientOpId: "c:2", baseVersion: 11, op: [1, "b"] });
      expect(c.onAck(11, "c:1")).toBeNull();
      expect(c.onAck(12, "c:2")).toBeNull();
      expect(c.onAck(12, "c:2")).toBeNull();
      expect(c.state).toBe("synchronized");
    });

    it("sends the buffer when a live echo of its op confirms it while online", () => {
      const c = client();
      c.applyLocal(["a"]);
      c.applyLocal([1, "b"]);
      expect(c.onRemote(["a"], 11, "c:1").send).toEqual({ clientOpId: "c:2", baseVersion: 11, op: [1, "b"] });
    });

    it("sends nothing while offline, even from the synchronized state", () => {
      const c = client();
      c.disconnect();
      expect(c.applyLocal(["a"])).toBeNull();
      expect(c.resendPending()).toEqual({ clientOpId: "c:1", baseVersion: 10, op: ["a"] });
    });
  });

  describe("presence", () => {
    it("places a remote selection over recent server ops and local unconfirmed edits", () => {
      const c = client(0);
      c.onRemote(["abc"], 1);
      c.onRemote([3, "def"], 2);
      c.applyLocal(["XY"]);
      // Reported at v1, on "abc": selecting "bc".
      expect(c.localizeSelection({ anchor: 1, head: 3 }, 1)).toEqual({ anchor: 3, head: 5 });
      expect(c.localizeSelection({ anchor: 6, head: 6 }, 2)).toEqual({ anchor: 8, head: 8 });
      expect(c.localizeSelection({ anchor: 0, head: 0 }, 3)).toBeNull();
    });

    it("forgets ops beyond its limit", () => {
      const c = new OtClient({ clientId: "c", version: 0, recentOpsLimit: 2 });
      for (let v = 1; v <= 3; v++) c.onRemote(["x"], v);
      expect(c.localizeSelection({ anchor: 0, head: 0 }, 1)).toEqual({ anchor: 0, head: 0 });
      expect(c.localizeSelection({ anchor: 0, head: 0 }, 0)).toBeNull();
    });

    it("reports its own selection only when the server has all of its edits", () => {
      const c = client();
      expect(c.presenceVersion()).toBe(10);
      c.applyLocal(["a"]);
      expect(c.presenceVersion()).toBeNull();
      c.onAck(11, "c:1");
      expect(c.presenceVersion()).toBe(11);
    });
  });
});
