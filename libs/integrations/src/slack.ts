import type { AppError } from "@devflow/util-core";
import {
  ErrorCode,
  LogLevel,
  WebClient,
  type Block,
  type KnownBlock,
  type WebAPIHTTPError,
  type WebAPIPlatformError,
  type WebAPIRateLimitedError,
  type WebAPIRequestError,
} from "@slack/web-api";
import {
  DEFAULT_RETRY_AFTER_SECONDS,
  errorForHttpFailure,
  isAbortError,
  OutsideServiceRejectedError,
  OutsideServiceUnavailableError,
  parseRetryAfter,
  RateLimitedError,
} from "./errors";
import type { ResilientCaller } from "./resilience";

export type SlackBlock = KnownBlock | Block;

export interface SlackClientOptions {
  /** The workspace's bot token (`xoxb-…`). */
  token: string;
  /** The caller for this workspace's breaker (`breakerKey("slack", organizationId)`). */
  caller: ResilientCaller;
  /** The Web API root, ending in `/api/`; a loopback fake in tests. Defaults to Slack's. */
  slackApiUrl?: string;
  /**
   * The only origin `respondToResponseUrl` will post to. A response_url arrives inside a request body, so
   * without this check a forged slash command could make us POST anywhere. Defaults to Slack's hooks origin.
   */
  responseUrlOrigin?: string;
}

/** A slash-command follow-up (docs.slack.dev "Handling user interaction", response_url). */
export interface SlackResponseUrlBody {
  text: string;
  blocks?: SlackBlock[];
  /** `ephemeral` (default) shows it to the user who ran the command only. */
  response_type?: "ephemeral" | "in_channel";
  replace_original?: boolean;
  delete_original?: boolean;
}

export interface SlackClient {
  /** `chat.postMessage`; `text` is also the notification fallback when `blocks` are given. */
  postMessage(channel: string, text: string, blocks?: SlackBlock[]): Promise<{ channel: string; ts: string }>;
  /**
   * `users.lookupByEmail` (scope `users:read.email`): the id (`U…`) of the workspace member with this
   * address, or null when Slack knows nobody by it (`users_not_found`). A user id given to `postMessage`
   * as the channel sends that person a direct message from the bot.
   */
  lookupUserByEmail(email: string): Promise<string | null>;
  /** Posts a follow-up to a slash command's `response_url` (no token: the URL itself is the credential). */
  respondToResponseUrl(url: string, body: SlackResponseUrlBody): Promise<void>;
}

const SERVICE = "slack";
const DEFAULT_RESPONSE_URL_ORIGIN = "https://hooks.slack.com";

/**
 * Slack refused the call with `{ ok: false, error }`; `slackError` is that code (`channel_not_found`,
 * `invalid_auth`…), for callers that treat some refusals as final.
 */
export class SlackRejectedError extends OutsideServiceRejectedError {
  readonly slackError: string;

  constructor(slackError: string, status: number) {
    super(SERVICE, status, slackError);
    this.name = "SlackRejectedError";
    this.slackError = slackError;
  }
}

/** Slack's mrkdwn treats &, < and > as markup; anything quoted from a document must not be. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * A Slack client on `@slack/web-api`'s WebClient. The WebClient retries on its own (ten times over about
 * thirty minutes by default) and, unless told otherwise, sleeps through a 429 and sends again; both are off
 * here (`retryConfig: { retries: 0 }`, `rejectRateLimitedCalls: true`) because the caller and the job
 * queue own retries. The WebClient has no per-call AbortSignal, only a fixed `timeout`, so a WebClient is
 * built per call around a `fetch` that carries the caller's signal.
 */
export function createSlackClient({ token, caller, slackApiUrl, responseUrlOrigin }: SlackClientOptions): SlackClient {
  const allowedOrigin = new URL(responseUrlOrigin ?? DEFAULT_RESPONSE_URL_ORIGIN).origin;

  const webClient = (signal: AbortSignal) =>
    new WebClient(token, {
      ...(slackApiUrl && { slackApiUrl }),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logLevel: LogLevel.ERROR,
      fetch: (url, init) =>
        fetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }),
    });

  return {
    async postMessage(channel, text, blocks) {
      const result = await caller.call("chat.postMessage", async (signal) => {
        try {
          return await webClient(signal).chat.postMessage({ channel, text, ...(blocks && { blocks }) });
        } catch (error) {
          throw toSlackError(error);
        }
      });
      return { channel: result.channel ?? channel, ts: result.ts ?? "" };
    },

    async lookupUserByEmail(email) {
      return caller.call("users.lookupByEmail", async (signal) => {
        try {
          const result = await webClient(signal).users.lookupByEmail({ email });
          return result.user?.id ?? null;
        } catch (error) {
          // An answer, not a failure: the address belongs to nobody in this workspace.
          if (slackErrorCode(error) === "users_not_found") return null;
          throw toSlackError(error);
        }
      });
    },

    async respondToResponseUrl(url, body) {
      const target = URL.canParse(url) ? new URL(url) : undefined;
      if (target?.origin !== allowedOrigin) {
        throw new OutsideServiceRejectedError(SERVICE, 400, `response_url is not on ${allowedOrigin}`);
      }
      await caller.call("response_url", async (signal) => {
        let response: Response;
        try {
          response = await fetch(target, {
            method: "POST",
            headers: { "content-type": "application/json; charset=utf-8" },
            body: JSON.stringify(body),
            // A redirect would take the body somewhere we did not check.
            redirect: "error",
            signal,
          });
        } catch (error) {
          throw toSlackError(error);
        }
        const reply = await response.text().catch(() => "");
        if (!response.ok) {
          throw errorForHttpFailure({
            service: SERVICE,
            status: response.status,
            message: reply || response.statusText,
            retryAfterSeconds: parseRetryAfter(response.headers.get("retry-after")),
          });
        }
      });
    },
  };
}

/*
 * Slack answers almost everything with HTTP 200 and `{ ok: false, error }`. These are the documented
 * errors that mean "Slack is having trouble" rather than "your request is wrong"; the rest are rejections,
 * given the HTTP status they correspond to so that edges map them sensibly.
 */
const SLACK_SERVER_ERRORS = new Set(["internal_error", "fatal_error", "service_unavailable", "request_timeout"]);
const SLACK_REJECTION_STATUS: Record<string, number> = {
  not_authed: 401,
  invalid_auth: 401,
  account_inactive: 401,
  token_revoked: 401,
  token_expired: 401,
  missing_scope: 403,
  not_in_channel: 403,
  restricted_action: 403,
  channel_not_found: 404,
  user_not_found: 404,
  is_archived: 409,
  msg_too_long: 413,
};

/** The `error` of a WebClient platform error (`{ ok: false, error }`); undefined for any other failure. */
function slackErrorCode(error: unknown): string | undefined {
  return (error as { code?: unknown } | null)?.code === ErrorCode.PlatformError
    ? (error as WebAPIPlatformError).data.error
    : undefined;
}

function toSlackError(error: unknown): AppError {
  if (isAbortError(error))
    return new OutsideServiceUnavailableError(SERVICE, "timeout", "request aborted by the timeout");
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case ErrorCode.RateLimitedError:
      return new RateLimitedError(SERVICE, (error as WebAPIRateLimitedError).retryAfter);
    case ErrorCode.PlatformError: {
      const data = (error as WebAPIPlatformError).data;
      if (data.error === "ratelimited") {
        return new RateLimitedError(SERVICE, data.response_metadata?.retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS);
      }
      if (SLACK_SERVER_ERRORS.has(data.error)) {
        return new OutsideServiceUnavailableError(SERVICE, "server_error", `answered ${data.error}`);
      }
      return new SlackRejectedError(data.error, SLACK_REJECTION_STATUS[data.error] ?? 400);
    }
    case ErrorCode.HTTPError: {
      const http = error as WebAPIHTTPError;
      return errorForHttpFailure({
        service: SERVICE,
        status: http.statusCode,
        message: http.statusMessage,
        retryAfterSeconds: parseRetryAfter(http.headers["retry-after"]),
      });
    }
    case ErrorCode.RequestError: {
      const original = (error as WebAPIRequestError).original;
      return new OutsideServiceUnavailableError(SERVICE, "network", original.message);
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  // A 429 without a usable Retry-After comes back from the WebClient as a plain Error.
  if (/Retry header did not contain a valid timeout/.test(message)) {
    return new RateLimitedError(SERVICE, DEFAULT_RETRY_AFTER_SECONDS);
  }
  return new OutsideServiceUnavailableError(SERVICE, "network", message);
}
