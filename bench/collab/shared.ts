import { createHash } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { round } from "../stats";

export type System = "devflow" | "sharedb";

export interface Scenario {
  name: string;
  docs: number;
  editorsPerDoc: number;
  /** Edits per second per editor; ignored when `closedLoop`. */
  opsPerSecond: number;
  /** One edit at a time: the next as soon as the previous one is acked. */
  closedLoop?: boolean;
}

export interface LoadPlan {
  system: System;
  scenario: Scenario;
  url: string;
  documentIds: string[];
  /** DevFlow: service tokens handed out round-robin to editors. */
  tokens: string[];
  durationMs: number;
  drainMs: number;
  seed: number;
}

export interface LoadResult {
  /** Op sent → ack received by its author (ms). */
  ack: number[];
  /** Op sent → applied by another editor of the document (ms). */
  remote: number[];
  /** Edit made locally → the op holding it acked (ms); includes time spent buffered behind an op in flight. */
  editAck: number[];
  windowMs: number;
  editsSubmitted: number;
  editsAcked: number;
  editsAckedInWindow: number;
  opsSent: number;
  opsAcked: number;
  opsAckedInWindow: number;
  refusals: Record<string, number>;
  protocolErrors: string[];
  unsyncedClients: number;
  /** Per document: hashes of every editor's final text. */
  finalHashes: Record<string, string[]>;
  loadEventLoopP99Ms: number;
  loadCpuMs: number;
  joinMs: number;
}

export function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

/** Deterministic PRNG (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type TextComponent = number | string | { d: number };

const ALPHABET = "abcdefghijklmnopqrstuvwxyz     \n";

/** A typing-like edit on `text`: mostly short inserts, some deletes, text length kept around 2–6 KB. */
export function randomEdit(text: string, random: () => number): TextComponent[] {
  const length = text.length;
  const deleteShare = length > 6000 ? 0.7 : length > 2000 ? 0.3 : 0.1;
  if (length > 10 && random() < deleteShare) {
    const count = 1 + Math.floor(random() * Math.min(8, length - 1));
    const at = Math.floor(random() * (length - count));
    return at > 0 ? [at, { d: count }] : [{ d: count }];
  }
  const at = Math.floor(random() * (length + 1));
  let inserted = "";
  const n = 1 + Math.floor(random() * 6);
  for (let i = 0; i < n; i++) inserted += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return at > 0 ? [at, inserted] : [inserted];
}

export const INITIAL_TEXT = `# Design doc\n\n${"The quick brown fox jumps over the lazy dog. ".repeat(60)}\n`;

const WORDS = ["design", "review", "latency", "commit", "editor", "service", "queue", "version", "tenant", "cursor"];

/**
 * About `bytes` of prose-like text for a large-document run: words drawn at random, so it
 * compresses about as well as a real document would, unlike a repeated sentence.
 */
export function textOfSize(bytes: number, random = seeded(42)): string {
  const parts = ["# Design doc\n\n"];
  let length = parts[0]!.length;
  while (length < bytes) {
    const word = WORDS[Math.floor(random() * WORDS.length)]!;
    const gap = random() < 0.08 ? ".\n" : " ";
    parts.push(word, gap);
    length += word.length + gap.length;
  }
  return parts.join("");
}

/** Request/response over a child's IPC channel. */
export function ipcClient(child: ChildProcess) {
  let next = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on("message", (raw) => {
    const message = raw as { id?: number; result?: unknown; error?: string };
    if (message.id === undefined) return;
    const waiter = waiting.get(message.id);
    if (!waiter) return;
    waiting.delete(message.id);
    if (message.error !== undefined) waiter.reject(new Error(message.error));
    else waiter.resolve(message.result);
  });
  child.once("exit", (code) => {
    for (const w of waiting.values()) w.reject(new Error(`child exited with ${code}`));
    waiting.clear();
  });
  return <T>(type: string, payload: unknown = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, type, payload });
    });
}

/** Serves requests arriving on this process's IPC channel. */
export function serveIpc(handlers: Record<string, (payload: never) => unknown>): void {
  process.on("message", (raw) => {
    const { id, type, payload } = raw as { id: number; type: string; payload: never };
    const handler = handlers[type];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown request ${type}`);
        return handler(payload);
      })
      .then(
        (result) => process.send!({ id, result }),
        (error: unknown) =>
          process.send!({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
  });
  process.on("disconnect", () => process.exit(0));
}

/**
 * CPU, peak RSS, event-loop delay and garbage-collection pauses of this process between `mark()`
 * and `read()`: a latency tail that the database does not explain shows up in one of these.
 */
export function resourceMeter() {
  let start = process.cpuUsage();
  let startedAt = performance.now();
  let peakRss = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 200);
  timer.unref();
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  let gc = { pauses: 0, totalMs: 0, maxMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.pauses += 1;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
    }
  }).observe({ entryTypes: ["gc"] });
  return {
    mark() {
      start = process.cpuUsage();
      startedAt = performance.now();
      peakRss = process.memoryUsage().rss;
      loop.reset();
      gc = { pauses: 0, totalMs: 0, maxMs: 0 };
    },
    read() {
      const used = process.cpuUsage(start);
      const elapsedMs = performance.now() - startedAt;
      const rss = process.memoryUsage().rss;
      peakRss = Math.max(peakRss, rss);
      const cpuMs = (used.user + used.system) / 1000;
      return {
        cpuMs,
        elapsedMs,
        cpuPercent: (100 * cpuMs) / elapsedMs,
        rssMb: rss / 2 ** 20,
        peakRssMb: peakRss / 2 ** 20,
        // The histogram counts from the 1 ms timer's due time, so these are delays past it.
        eventLoopDelayMs: { p99: round(loop.percentile(99) / 1e6 - 1), max: round(loop.max / 1e6 - 1) },
        gc: { pauses: gc.pauses, totalMs: round(gc.totalMs), maxMs: round(gc.maxMs) },
      };
    },
  };
}
export type ResourceReading = ReturnType<ReturnType<typeof resourceMeter>["read"]>;
