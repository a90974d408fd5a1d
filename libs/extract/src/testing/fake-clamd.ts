// A loopback stand-in for clamd, written from the protocol in ClamAV's clamd(8) manual page, not from
// a recording. Commands are prefixed `z` (terminated by NUL, replies end in NUL) or `n` (terminated
// by newline, replies end in newline); unprefixed commands are the deprecated newline-terminated form.
// Implemented: PING → PONG, VERSION, and INSTREAM: after the command, chunks of
// <4-byte big-endian length><data>, ended by a zero length; the reply is `stream: OK` or
// `stream: <signature> FOUND`, or `INSTREAM size limit exceeded. ERROR` past StreamMaxLength.
// clamd closes the connection after answering a command outside an IDSESSION, and so does this.
import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface FakeClamdOptions {
  /** Bytes after which INSTREAM is refused, like clamd's StreamMaxLength (default 25 MiB). */
  streamMaxLength?: number;
  /** Accept connections and read everything but never reply (to trip client timeouts). */
  silent?: boolean;
}

/** One command as received, with the bytes streamed for INSTREAM. */
export interface FakeClamdCommand {
  /** The raw command as sent, prefix included, e.g. `zINSTREAM`. */
  raw: string;
  name: string;
  /** INSTREAM: the chunk lengths in order, terminator excluded. */
  chunkLengths: number[];
  /** INSTREAM: the concatenated stream. */
  data: Buffer;
}

export interface FakeClamd {
  host: string;
  port: number;
  commands: FakeClamdCommand[];
  /** Stops listening and drops open connections; calling it again does nothing. */
  close(): Promise<void>;
}

/** The EICAR anti-virus test file, which every scanner reports as Eicar-Test-Signature. */
export const EICAR_TEST_FILE = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeClamd({
  streamMaxLength = 25 * 1024 * 1024,
  silent = false,
}: FakeClamdOptions = {}): Promise<FakeClamd> {
  const commands: FakeClamdCommand[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    let buffer = Buffer.alloc(0);
    let command: (FakeClamdCommand & { terminator: string }) | undefined;
    let answered = false;

    const reply = (text: string) => {
      answered = true;
      if (!silent) socket.end(`${text}${command?.terminator ?? "\n"}`);
    };

    socket.on("data", (data: Buffer) => {
      if (answered) return;
      buffer = Buffer.concat([buffer, data]);
      if (!command) {
        const prefix = buffer.toString("latin1", 0, 1);
        const end = buffer.indexOf(prefix === "z" ? 0 : 0x0a);
        if (end === -1) return;
        const raw = buffer.toString("latin1", 0, end);
        const name = prefix === "z" || prefix === "n" ? raw.slice(1) : raw;
        command = { raw, name, chunkLengths: [], data: Buffer.alloc(0), terminator: prefix === "z" ? "\0" : "\n" };
        commands.push(command);
        buffer = buffer.subarray(end + 1);
        if (name === "PING") return reply("PONG");
        if (name === "VERSION") return reply("ClamAV 1.4.2/27500/Thu Jan  1 00:00:00 2026");
        if (name !== "INSTREAM") return reply("UNKNOWN COMMAND");
      }
      // INSTREAM chunks: as many as have fully arrived.
      while (buffer.length >= 4) {
        const length = buffer.readUInt32BE(0);
        if (length === 0) return reply(verdict(command.data));
        if (buffer.length < 4 + length) return;
        command.chunkLengths.push(length);
        command.data = Buffer.concat([command.data, buffer.subarray(4, 4 + length)]);
        buffer = buffer.subarray(4 + length);
        if (command.data.length > streamMaxLength) return reply("INSTREAM size limit exceeded. ERROR");
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    host: "127.0.0.1",
    port,
    commands,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      })),
  };
}

function verdict(data: Buffer): string {
  return data.includes(EICAR_TEST_FILE) ? "stream: Eicar-Test-Signature FOUND" : "stream: OK";
}
