/**
 * Child process: the load generator. Opens every editor of a scenario over real sockets (Socket.io
 * for DevFlow, WebSocket for ShareDB), types at the scenario's rate for the window, drains, and
 * reports latencies, counts and the hash of every editor's final text to the parent.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { OtClient, OtProtocolError, apply, type OutgoingOp, type TextOp } from "@devflow/collab-ot";
import { COLLAB_EVENTS, COLLAB_PROTOCOL_VERSION } from "@devflow/contracts";
import ShareDBClient from "sharedb/lib/client";
import otText from "ot-text";
import { io, type Socket } from "socket.io-client";
import { WebSocket } from "ws";
import { randomEdit, seeded, sha1, type LoadPlan, type LoadResult, type TextComponent } from "./shared";

ShareDBClient.types.register(otText.type);

const now = () => performance.now();

/** Shared by every editor of the run: one clock, one set of samples. */
class Recorder {
  readonly ack: number[] = [];
  readonly remote: number[] = [];
  readonly editAck: number[] = [];
  readonly refusals: Record<string, number> = {};
  readonly protocolErrors: string[] = [];
  readonly sentAt = new Map<string, number>();
  editsSubmitted = 0;
  editsAcked = 0;
  editsAckedInWindow = 0;
  opsSent = 0;
  opsAcked = 0;
  opsAckedInWindow = 0;
  inWindow = false;

  sent(key: string): void {
    if (this.sentAt.has(key)) return;
    this.sentAt.set(key, now());
    this.opsSent += 1;
  }

  acked(key: string, editTimes: number[]): void {
    const at = now();
    const sent = this.sentAt.get(key);
    if (sent !== undefined) this.ack.push(at - sent);
    this.opsAcked += 1;
    if (this.inWindow) this.opsAckedInWindow += 1;
    this.editsDone(editTimes, at);
  }

  editsDone(editTimes: number[], at = now()): void {
    for (const t of editTimes) this.editAck.push(at - t);
    this.editsAcked += editTimes.length;
    if (this.inWindow) this.editsAckedInWindow += editTimes.length;
  }

  remoteApplied(key: string): void {
    const sent = this.sentAt.get(key);
    if (sent !== undefined) this.remote.push(now() - sent);
  }

  refused(code: string): void {
    this.refusals[code] = (this.refusals[code] ?? 0) + 1;
  }
}

interface Editor {
  readonly documentId: string;
  readonly text: string;
  /** Nothing in flight or buffered. */
  readonly synced: boolean;
  readonly version: number;
  open(): Promise<void>;
  edit(op: TextComponent[]): void;
  /** Called whenever the editor becomes synced after an ack (closed loop). */
  onSynced?: () => void;
  close(): void;
}

class DevFlowEditor implements Editor {
  text = "";
  onSynced?: () => void;
  private ot: OtClient | null = null;
  private socket: Socket | null = null;
  private bufferedEdits: number[] = [];
  private inFlightEdits: number[] = [];

  constructor(
    private readonly url: string,
    private readonly token: string,
    readonly documentId: string,
    private readonly clientId: string,
    private readonly recorder: Recorder,
  ) {}

  get synced(): boolean {
    return this.ot !== null && this.ot.state === "synchronized";
  }

  get version(): number {
    return this.ot?.version ?? -1;
  }

  async open(): Promise<void> {
    const socket = io(this.url, {
      path: "/socket.io",
      auth: { token: this.token },
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
    });
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    });
    socket.on(COLLAB_EVENTS.remoteOp, (remote: { version: number; op: TextOp; clientOpId: string }) => {
      const ot = this.ot;
      if (ot === null || remote.version <= ot.version) return;
      try {
        const hadBuffer = ot.buffered !== null;
        const result = ot.onRemote(remote.op, remote.version, remote.clientOpId);
        this.text = apply(this.text, result.op);
        this.recorder.remoteApplied(remote.clientOpId);
        if (hadBuffer && ot.buffered === null && !result.send) {
          // A concurrent op already made the buffered edits; nothing is left to send for them.
          this.recorder.editsDone(this.bufferedEdits);
          this.bufferedEdits = [];
        }
        if (result.send) this.sendNext(result.send);
      } catch (error) {
        this.protocolError(error);
      }
    });
    socket.on(COLLAB_EVENTS.error, (error: { code: string }) => this.recorder.refused(`collab:error ${error.code}`));
    const reply = await new Promise<{ ok: boolean; kind?: string; version: number; text?: string; code?: string }>(
      (resolve) =>
        socket.emit(COLLAB_EVENTS.join, { v: COLLAB_PROTOCOL_VERSION, documentId: this.documentId }, resolve),
    );
    if (!reply.ok || reply.kind !== "snapshot") throw new Error(`join refused: ${JSON.stringify(reply)}`);
    this.ot = new OtClient({ clientId: this.clientId, version: reply.version });
    this.text = reply.text ?? "";
  }

  edit(op: TextComponent[]): void {
    const ot = this.ot!;
    this.text = apply(this.text, op as TextOp);
    this.recorder.editsSubmitted += 1;
    this.bufferedEdits.push(now());
    const out = ot.applyLocal(op as TextOp);
    if (out) this.sendNext(out);
  }

  /** A new op goes out: it holds every edit buffered so far. */
  private sendNext(out: OutgoingOp): void {
    this.inFlightEdits = this.bufferedEdits;
    this.bufferedEdits = [];
    this.recorder.sent(out.clientOpId);
    this.emit(out);
  }

  private emit(out: OutgoingOp): void {
    const socket = this.socket;
    if (!socket) return;
    socket.emit(
      COLLAB_EVENTS.op,
      { v: COLLAB_PROTOCOL_VERSION, documentId: this.documentId, ...out },
      (reply: { ok: boolean; version: number; clientOpId: string; code?: string }) => {
        if (!reply.ok) {
          this.recorder.refused(reply.code ?? "unknown");
          if (reply.code === "rate_limited") {
            setTimeout(() => {
              const pending = this.ot?.pending;
              if (pending?.clientOpId === out.clientOpId) this.emit(pending);
            }, 50);
          }
          return;
        }
        try {
          const next = this.ot!.onAck(reply.version, reply.clientOpId);
          this.recorder.acked(reply.clientOpId, this.inFlightEdits);
          this.inFlightEdits = [];
          if (next) this.sendNext(next);
          else this.onSynced?.();
        } catch (error) {
          this.protocolError(error);
        }
      },
    );
  }

  private protocolError(error: unknown): void {
    const message = error instanceof OtProtocolError ? `${error.reason}: ${error.message}` : String(error);
    this.recorder.protocolErrors.push(message);
  }

  close(): void {
    this.socket?.disconnect();
  }
}

class ShareDbEditor implements Editor {
  onSynced?: () => void;
  private connection: InstanceType<typeof ShareDBClient.Connection> | null = null;
  private doc: ReturnType<InstanceType<typeof ShareDBClient.Connection>["get"]> | null = null;
  private ws: WebSocket | null = null;

  constructor(
    private readonly url: string,
    readonly documentId: string,
    private readonly recorder: Recorder,
  ) {}

  get text(): string {
    return (this.doc?.data as string | undefined) ?? "";
  }

  get synced(): boolean {
    return this.doc !== null && !this.doc.hasWritePending();
  }

  get version(): number {
    return this.doc?.version ?? -1;
  }

  async open(): Promise<void> {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    const connection = new ShareDBClient.Connection(ws as never);
    this.connection = connection;
    connection.on("send", (message: { a?: string; src?: string; seq?: number; op?: unknown }) => {
      if (message.a === "op" && message.op !== undefined) {
        this.recorder.sent(`${message.src ?? connection.id}:${message.seq}`);
      }
    });
    connection.on("receive", (request: { data: { a?: string; src?: string; seq?: number; error?: unknown } }) => {
      const data = request.data;
      if (data.a !== "op" || data.error) return;
      const key = `${data.src}:${data.seq}`;
      // The handler runs right after this event; measure once the op was applied.
      if (data.src !== connection.id) queueMicrotask(() => this.recorder.remoteApplied(key));
    });
    const doc = connection.get("docs", this.documentId);
    this.doc = doc;
    doc.on("error", (error: Error) => this.recorder.protocolErrors.push(String(error)));
    await new Promise<void>((resolve, reject) => doc.subscribe((error) => (error ? reject(error) : resolve())));
  }

  edit(op: TextComponent[]): void {
    const doc = this.doc!;
    const editAt = now();
    this.recorder.editsSubmitted += 1;
    doc.submitOp(op, (error) => {
      if (error) {
        this.recorder.refused(String((error as { code?: string }).code ?? error.message));
        return;
      }
      this.recorder.editsDone([editAt]);
      if (!doc.hasWritePending()) this.onSynced?.();
    });
  }

  /** Counts the op acks (the edit acks are counted by the submit callbacks). */
  watchAcks(): void {
    const connection = this.connection!;
    connection.on("receive", (request: { data: { a?: string; src?: string; seq?: number; error?: unknown } }) => {
      const data = request.data;
      if (data.a !== "op" || data.error || data.src !== connection.id) return;
      const key = `${data.src}:${data.seq}`;
      const sent = this.recorder.sentAt.get(key);
      if (sent === undefined) return;
      this.recorder.ack.push(now() - sent);
      this.recorder.opsAcked += 1;
      if (this.recorder.inWindow) this.recorder.opsAckedInWindow += 1;
    });
  }

  close(): void {
    this.connection?.close();
    this.ws?.close();
  }
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

async function run(plan: LoadPlan): Promise<LoadResult> {
  const recorder = new Recorder();
  const random = seeded(plan.seed);
  const { scenario } = plan;
  const editors: Editor[] = [];
  let n = 0;
  for (const documentId of plan.documentIds) {
    for (let e = 0; e < scenario.editorsPerDoc; e++) {
      const index = n++;
      if (plan.system === "devflow") {
        const clientId = `bench-${plan.seed}-${index}-${Math.floor(random() * 1e9).toString(36)}`;
        editors.push(
          new DevFlowEditor(plan.url, plan.tokens[index % plan.tokens.length]!, documentId, clientId, recorder),
        );
      } else {
        editors.push(new ShareDbEditor(plan.url, documentId, recorder));
      }
    }
  }
  const joinStarted = now();
  await inBatches(editors, 25, (e) => e.open());
  for (const e of editors) if (e instanceof ShareDbEditor) e.watchAcks();
  const joinMs = now() - joinStarted;

  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpuStart = process.cpuUsage();
  process.send!({ event: "window-start" });
  recorder.inWindow = true;
  const windowStart = now();
  let running = true;
  const timers: ReturnType<typeof setTimeout>[] = [];

  if (scenario.closedLoop) {
    for (const editor of editors) {
      editor.onSynced = () => {
        if (running) editor.edit(randomEdit(editor.text, random));
      };
      editor.edit(randomEdit(editor.text, random));
    }
  } else {
    const interval = 1000 / scenario.opsPerSecond;
    for (const [i, editor] of editors.entries()) {
      let nextAt = windowStart + random() * interval;
      const tick = () => {
        if (!running) return;
        editor.edit(randomEdit(editor.text, random));
        nextAt += interval;
        timers[i] = setTimeout(tick, Math.max(0, nextAt - now()));
      };
      timers[i] = setTimeout(tick, nextAt - now());
    }
  }

  await new Promise((resolve) => setTimeout(resolve, plan.durationMs));
  running = false;
  for (const t of timers) clearTimeout(t);
  recorder.inWindow = false;
  const windowMs = now() - windowStart;
  process.send!({ event: "window-end" });
  const cpu = process.cpuUsage(cpuStart);
  loop.disable();

  const byDocument = new Map<string, Editor[]>();
  for (const e of editors) byDocument.set(e.documentId, [...(byDocument.get(e.documentId) ?? []), e]);
  const settled = () =>
    [...byDocument.values()].every((group) => group.every((e) => e.synced && e.version === group[0]!.version));
  const drainUntil = now() + plan.drainMs;
  while (!settled() && now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, 50));

  const finalHashes: Record<string, string[]> = {};
  for (const [documentId, group] of byDocument) finalHashes[documentId] = group.map((e) => sha1(e.text));
  const result: LoadResult = {
    ack: recorder.ack,
    remote: recorder.remote,
    editAck: recorder.editAck,
    windowMs,
    editsSubmitted: recorder.editsSubmitted,
    editsAcked: recorder.editsAcked,
    editsAckedInWindow: recorder.editsAckedInWindow,
    opsSent: recorder.opsSent,
    opsAcked: recorder.opsAcked,
    opsAckedInWindow: recorder.opsAckedInWindow,
    refusals: recorder.refusals,
    protocolErrors: recorder.protocolErrors.slice(0, 20),
    unsyncedClients: editors.filter((e) => !e.synced).length,
    finalHashes,
    loadEventLoopP99Ms: loop.percentile(99) / 1e6,
    loadCpuMs: (cpu.user + cpu.system) / 1000,
    joinMs,
  };
  for (const e of editors) e.close();
  return result;
}

process.once("message", (plan: LoadPlan) => {
  run(plan).then(
    (result) => process.send!({ event: "result", result }, () => process.exit(0)),
    (error: unknown) => {
      process.send!({ event: "error", error: error instanceof Error ? error.stack : String(error) }, () =>
        process.exit(1),
      );
    },
  );
});
