// This fake follows Slack's documented Web API wire format (docs.slack.dev/apis/web-api: GET or POST
// /api/<method>, bearer token, query-string, form-encoded or JSON arguments, HTTP 200 with `{ ok: false, error }`
// for errors, HTTP 429 with `Retry-After` and `error: "ratelimited"` when rate limited), `users.lookupByEmail`
// (`{ ok: true, user: { id } }` or `users_not_found`), a user id as chat.postMessage's channel (the bot's DM
// with that person) and the slash-command response_url. It is written from the documentation, not from
// recorded traffic.
import {
  headerValue,
  startLoopbackServer,
  type LoopbackReply,
  type LoopbackRequest,
  type LoopbackServer,
} from "./loopback-server";

export interface FakeSlackMessage {
  channel: string;
  text: string;
  blocks: unknown[] | undefined;
  ts: string;
}

export interface FakeSlack extends LoopbackServer {
  /** The Web API root to give the WebClient as `slackApiUrl` (…/api/). */
  apiUrl: string;
  /** A fresh response_url on this server, as Slack puts in a slash-command payload. */
  responseUrl(): string;
  messages: FakeSlackMessage[];
  /** The workspace's members, email address → user id (U0123); add to it at any time. */
  users: Map<string, string>;
  /** Bodies posted to response URLs, keyed by URL path. */
  responses: Map<string, unknown[]>;
  /** Answer the next Web API call with 429, `Retry-After: <seconds>` and `{ ok: false, error: "ratelimited" }`. */
  rateLimitNext(retryAfterSeconds: number): void;
}

/**
 * How many times Slack accepts a response_url (docs: up to five times within 30 minutes). The body of the
 * refusal is our guess; clients rely only on the non-2xx status.
 */
const RESPONSE_URL_USES = 5;

/**
 * A Slack Web API on loopback with the given channels (ids like C0123) and members (email → user id, like
 * U0123). Accepts only `token`.
 */
export async function startFakeSlack({
  token,
  channels,
  users: members = {},
}: {
  token: string;
  channels: string[];
  users?: Record<string, string>;
}): Promise<FakeSlack> {
  const messages: FakeSlackMessage[] = [];
  const users = new Map(Object.entries(members));
  const responses = new Map<string, unknown[]>();
  let rateLimited: number | undefined;
  let sequence = 0;

  const handle = (request: LoopbackRequest): LoopbackReply => {
    if (request.path.startsWith("/commands/")) {
      const list = responses.get(request.path);
      if (!list) return { status: 404, body: "no_such_url" };
      if (list.length >= RESPONSE_URL_USES) return { status: 404, body: "used_url" };
      list.push(request.body);
      return { status: 200, body: "ok" };
    }
    const method = request.path.match(/^\/api\/([\w.]+)$/)?.[1];
    if ((request.method !== "POST" && request.method !== "GET") || !method) return { status: 404, body: "not found" };
    if (rateLimited !== undefined) {
      const seconds = rateLimited;
      rateLimited = undefined;
      return { status: 429, headers: { "retry-after": String(seconds) }, body: { ok: false, error: "ratelimited" } };
    }
    if (headerValue(request.headers, "authorization") !== `Bearer ${token}`) {
      return {
        status: 200,
        body: { ok: false, error: headerValue(request.headers, "authorization") ? "invalid_auth" : "not_authed" },
      };
    }
    const args = {
      ...Object.fromEntries(request.query),
      ...((request.body ?? {}) as Record<string, string | undefined>),
    } as Record<string, string | undefined>;
    if (method === "users.lookupByEmail") {
      if (!args.email) return { status: 200, body: { ok: false, error: "invalid_arguments" } };
      const id = users.get(args.email);
      return {
        status: 200,
        body: id ? { ok: true, user: { id, deleted: false } } : { ok: false, error: "users_not_found" },
      };
    }
    if (method === "chat.postMessage") {
      if (!args.channel) return { status: 200, body: { ok: false, error: "channel_not_found" } };
      // A member's user id as the channel: Slack opens the bot's direct message with them.
      const isMember = [...users.values()].includes(args.channel);
      if (!channels.includes(args.channel) && !isMember) {
        return { status: 200, body: { ok: false, error: "channel_not_found" } };
      }
      if (!args.text && !args.blocks) return { status: 200, body: { ok: false, error: "no_text" } };
      // Form-encoded clients send `blocks` as a JSON string; JSON clients send the array.
      const blocks =
        typeof args.blocks === "string"
          ? (JSON.parse(args.blocks) as unknown[])
          : (args.blocks as unknown[] | undefined);
      sequence += 1;
      const message = {
        channel: args.channel,
        text: args.text ?? "",
        blocks,
        ts: `1700000000.${String(sequence).padStart(6, "0")}`,
      };
      messages.push(message);
      return {
        status: 200,
        body: {
          ok: true,
          channel: message.channel,
          ts: message.ts,
          message: { type: "message", text: message.text, ts: message.ts },
        },
      };
    }
    return { status: 200, body: { ok: false, error: "unknown_method" } };
  };

  const server = await startLoopbackServer(handle);
  let nextUrl = 0;
  return Object.assign(server, {
    apiUrl: `${server.url}/api/`,
    responseUrl() {
      nextUrl += 1;
      const path = `/commands/T0001/${nextUrl}/${"x".repeat(24)}`;
      responses.set(path, []);
      return `${server.url}${path}`;
    },
    messages,
    users,
    responses,
    rateLimitNext(retryAfterSeconds: number) {
      rateLimited = retryAfterSeconds;
    },
  });
}
