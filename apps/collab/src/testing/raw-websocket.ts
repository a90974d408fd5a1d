import { randomBytes } from "node:crypto";
import { request, type IncomingHttpHeaders } from "node:http";
import type { Duplex } from "node:stream";

export interface RawWebSocket {
  /** Headers of the 101 Switching Protocols response. */
  headers: IncomingHttpHeaders;
  /** The next text frame from the server. */
  nextMessage(): Promise<string>;
  send(text: string): void;
  /** Resolves with every text frame received once the server has closed the connection. */
  closed: Promise<string[]>;
  /** Drops the TCP connection without a goodbye, as a client that lost its network would. */
  drop(): void;
}

const OPCODE_TEXT = 0x1;
const OPCODE_CLOSE = 0x8;

/**
 * A minimal WebSocket client opened on an http:// URL (RFC 6455: short text frames, the close
 * handshake), enough to speak Engine.IO/Socket.IO in tests without socket.io-client, which this
 * workspace does not install.
 */
export function openRawWebSocket(url: string): Promise<RawWebSocket> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
        "Sec-WebSocket-Version": "13",
      },
    });
    req.on("upgrade", (response, socket, head) => resolve(wrap(response.headers, socket, head)));
    req.on("response", (response) => reject(new Error(`expected 101 Switching Protocols, got ${response.statusCode}`)));
    req.on("error", reject);
    req.end();
  });
}

function wrap(headers: IncomingHttpHeaders, socket: Duplex, head: Buffer): RawWebSocket {
  const received: string[] = [];
  const waiting: ((message: string) => void)[] = [];
  let unread: string[] = [];
  let buffer = head;

  const deliver = (message: string) => {
    received.push(message);
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else unread.push(message);
  };

  const readFrames = (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (let frame = readFrame(buffer); frame; frame = readFrame(buffer)) {
      buffer = buffer.subarray(frame.size);
      if (frame.opcode === OPCODE_TEXT) deliver(frame.payload.toString("utf8"));
      if (frame.opcode === OPCODE_CLOSE) {
        // Answer the close handshake as a browser would, so the server is not left waiting.
        socket.end(encodeFrame(OPCODE_CLOSE, frame.payload));
      }
    }
  };
  // The server's first frames often arrive in the same packet as the 101 response, i.e. in `head`.
  readFrames(Buffer.alloc(0));
  socket.on("data", readFrames);
  const closed = new Promise<string[]>((resolve) => socket.once("close", () => resolve(received)));

  return {
    headers,
    nextMessage: () => {
      const [first, ...rest] = unread;
      if (first !== undefined) {
        unread = rest;
        return Promise.resolve(first);
      }
      return new Promise((resolve) => waiting.push(resolve));
    },
    send: (text) => void socket.write(encodeFrame(OPCODE_TEXT, Buffer.from(text, "utf8"))),
    closed,
    drop: () => void socket.destroy(),
  };
}

function readFrame(buffer: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
  if (buffer.length < 2) return undefined;
  const opcode = buffer[0]! & 0x0f;
  let length = buffer[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return undefined;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return undefined;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  if (buffer.length < offset + length) return undefined;
  return { opcode, payload: buffer.subarray(offset, offset + length), size: offset + length };
}

/* Client frames must be masked (RFC 6455 §5.3). Long enough for a handshake carrying a service token. */
function encodeFrame(opcode: number, payload: Buffer): Buffer {
  if (payload.length > 0xffff) throw new Error("raw-websocket only sends frames under 64 KB");
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  const header =
    payload.length < 126
      ? Buffer.from([0x80 | opcode, 0x80 | payload.length])
      : Buffer.from([0x80 | opcode, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([header, mask, masked]);
}
