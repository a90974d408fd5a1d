/**
 * Child process: the reference, ShareDB with its in-memory backend, over WebSocket (ws), documents
 * of the `text` type (ot-text, the same op format DevFlow uses).
 */
import { Duplex } from "node:stream";
import type { AddressInfo } from "node:net";
import ShareDB from "sharedb";
import otText from "ot-text";
import { WebSocketServer, type WebSocket } from "ws";
import { resourceMeter, serveIpc } from "./shared";

ShareDB.types.register(otText.type);

const COLLECTION = "docs";
const meter = resourceMeter();
const backend = new ShareDB();
let wss: WebSocketServer | undefined;

/** A ws connection as the object-mode duplex stream `backend.listen` expects. */
function jsonStream(ws: WebSocket): Duplex {
  const stream = new Duplex({
    objectMode: true,
    read() {},
    write(message, _encoding, callback) {
      if (ws.readyState !== ws.OPEN) return callback();
      ws.send(JSON.stringify(message));
      callback();
    },
  });
  ws.on("message", (data) => {
    try {
      stream.push(JSON.parse(String(data)));
    } catch (error) {
      stream.destroy(error as Error);
    }
  });
  ws.on("close", () => {
    stream.push(null);
    stream.end();
    stream.emit("close");
  });
  stream.on("error", () => ws.close());
  stream.on("end", () => ws.close());
  return stream;
}

function fetchDoc(id: string): Promise<{ text: string; version: number }> {
  const doc = backend.connect().get(COLLECTION, id);
  return new Promise((resolve, reject) =>
    doc.fetch((error) => (error ? reject(error) : resolve({ text: doc.data as string, version: doc.version ?? 0 }))),
  );
}

serveIpc({
  async start() {
    wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    wss.on("connection", (ws) => backend.listen(jsonStream(ws)));
    await new Promise<void>((resolve) => wss!.once("listening", resolve));
    return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, pid: process.pid };
  },
  async create({ ids, text }: { ids: string[]; text: string }) {
    const connection = backend.connect();
    await Promise.all(
      ids.map(
        (id) =>
          new Promise<void>((resolve, reject) =>
            connection
              .get(COLLECTION, id)
              .create(text, otText.type.uri, (error) => (error ? reject(error) : resolve())),
          ),
      ),
    );
    connection.close();
    return null;
  },
  async texts({ ids }: { ids: string[] }) {
    const out: Record<string, { text: string; version: number }> = {};
    for (const id of ids) out[id] = await fetchDoc(id);
    return out;
  },
  mark() {
    meter.mark();
    return null;
  },
  read() {
    return meter.read();
  },
  async stop() {
    await new Promise((resolve) => wss?.close(resolve));
    await new Promise((resolve) => backend.close(resolve));
    return null;
  },
});
