export interface TokenBucketOptions {
  /** Events allowed at once after a quiet spell. */
  burst: number;
  /** Events allowed per second, sustained. */
  perSecond: number;
  now?: () => number;
}

export interface TokenBucket {
  /** Spends one token; false when the caller is over its budget. */
  take(): boolean;
}

/** The per-connection op budget: a burst for pastes and fast typing, a lower sustained rate. */
export const OP_RATE_LIMIT: TokenBucketOptions = { burst: 50, perSecond: 20 };
/** Presence is refreshed on every caret move; over this, updates are dropped, not answered. */
export const PRESENCE_RATE_LIMIT: TokenBucketOptions = { burst: 30, perSecond: 15 };

export function createTokenBucket({ burst, perSecond, now = Date.now }: TokenBucketOptions): TokenBucket {
  let tokens = burst;
  let last = now();
  return {
    take() {
      const at = now();
      tokens = Math.min(burst, tokens + ((at - last) / 1000) * perSecond);
      last = at;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
