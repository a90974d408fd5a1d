import { openRawWebSocket, type RawWebSocket } from "./raw-websocket";

/** What the server answered a namespace CONNECT with. */
export type ConnectReply = { ok: true; sid: string } | { ok: false; message: string; data: unknown };

/**
 * Opens an Engine.IO session over the websocket transport and sends the Socket.IO CONNECT for the
 * main namespace with `auth` as its payload, as socket.io-client's `io(url, { auth })` would.
 */
export async function connectSocketIo(
  url: string,
  auth?: Record<string, unknown>,
): Promise<{ socket: RawWebSocket; reply: ConnectReply }> {
  const socket = await openRawWebSocket(`${url}/socket.io/?EIO=4&transport=websocket`);
  const open = await socket.nextMessage();
  if (!open.startsWith("0{")) throw new Error(`expected an Engine.IO open packet, got ${open}`);
  socket.send(auth ? `40${JSON.stringify(auth)}` : "40");
  const answer = await socket.nextMessage();
  if (answer.startsWith("40")) {
    const { sid } = JSON.parse(answer.slice(2)) as { sid: string };
    return { socket, reply: { ok: true, sid } };
  }
  if (answer.startsWith("44")) {
    const { message, data } = JSON.parse(answer.slice(2)) as { message: string; data: unknown };
    return { socket, reply: { ok: false, message, data } };
  }
  throw new Error(`expected a CONNECT or CONNECT_ERROR packet, got ${answer}`);
}
