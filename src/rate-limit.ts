import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';
import type { GraphContext } from './context.js';

/**
 * Per-client rate limiting, counted in upstream calls: every client has a token bucket, an
 * operation takes as many tokens as it is estimated to make upstream calls (at least one) before
 * it runs, and gives back what it did not use (or pays the difference) when it is done. A client
 * whose bucket cannot pay gets 429 with `Retry-After` and the code `RATE_LIMITED`; the other
 * clients are not affected.
 *
 * The buckets live behind `RateLimitStore`. This file has the in-memory one (per process); a
 * store shared by replicas implements the same two methods, each one atomic on its side (for
 * Redis, one Lua script per method), and the callers do not change.
 */

export type RateLimitDecision =
  | { readonly allowed: true; readonly remaining: number }
  | { readonly allowed: false; readonly remaining: number; readonly retryAfterMs: number };

export interface RateLimitStore {
  /** Takes `tokens` from the bucket of `key` if it holds that many; otherwise takes nothing. */
  take(key: string, tokens: number): Promise<RateLimitDecision>;
  /**
   * Gives back (`tokens` > 0) or charges (`tokens` < 0) without refusing: a bucket may go below
   * zero, which delays its next request, and never fills past its capacity.
   */
  adjust(key: string, tokens: number): Promise<void>;
}

export interface TokenBucketOptions {
  /** Tokens a full bucket holds: the largest burst. */
  readonly capacity: number;
  /** Tokens added per second, up to the capacity. */
  readonly refillPerSecond: number;
  /** @default performance.now */
  readonly now?: (() => number) | undefined;
  /**
   * Buckets kept at most; the least recently used go first (a forgotten bucket is a full one,
   * which is what a new client gets anyway). @default 100000
   */
  readonly maxKeys?: number | undefined;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createMemoryRateLimitStore(options: TokenBucketOptions): RateLimitStore {
  const { capacity, refillPerSecond } = options;
  const now = options.now ?? (() => performance.now());
  const maxKeys = options.maxKeys ?? 100_000;
  const buckets = new Map<string, Bucket>();

  /** The bucket of `key`, refilled up to now and moved to the recent end of the map. */
  const current = (key: string): Bucket => {
    const t = now();
    const bucket = buckets.get(key) ?? { tokens: capacity, at: t };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((t - bucket.at) / 1000) * refillPerSecond);
    bucket.at = t;
    buckets.delete(key);
    buckets.set(key, bucket);
    while (buckets.size > maxKeys) {
      const oldest = buckets.keys().next().value;
      if (oldest === undefined) break;
      buckets.delete(oldest);
    }
    return bucket;
  };

  return {
    take(key, tokens) {
      const bucket = current(key);
      if (bucket.tokens >= tokens) {
        bucket.tokens -= tokens;
        return Promise.resolve({ allowed: true, remaining: Math.floor(bucket.tokens) });
      }
      const missing = tokens - bucket.tokens;
      return Promise.resolve({
        allowed: false,
        remaining: Math.max(0, Math.floor(bucket.tokens)),
        retryAfterMs: Math.ceil((missing / refillPerSecond) * 1000),
      });
    },
    adjust(key, tokens) {
      const bucket = current(key);
      bucket.tokens = Math.min(capacity, bucket.tokens + tokens);
      return Promise.resolve();
    },
  };
}

/**
 * Who a request counts against: its API key when keys are on (as a digest: the key itself is
 * not kept), else its client address. `X-Forwarded-For` is believed only from the configured
 * trusted proxies. IPv6 clients are grouped by their /64, the block one subscriber usually has.
 */
export function createClientIdentity(options: {
  readonly apiKeys: boolean;
  readonly trustedProxies: readonly string[];
}): (request: Request, req: IncomingMessage | undefined) => string | undefined {
  const trust = proxyaddr.compile([...options.trustedProxies]);
  return (request, req) => {
    if (options.apiKeys) {
      const bearer = request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
      const key = request.headers.get('x-api-key') ?? bearer;
      if (key) return `key:${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`;
    }
    if (!req?.socket) return undefined;
    let address: string;
    try {
      address = proxyaddr(req, trust);
    } catch {
      return undefined;
    }
    return `ip:${clientBlock(address)}`;
  };
}

function clientBlock(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address); // IPv4-mapped IPv6 becomes IPv4
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(':')}::/64`;
}

/**
 * Charges every operation's estimated upstream calls to its client before it runs; runs after
 * the budget plugin, which makes the estimate.
 */
export function useRateLimit(options: {
  readonly store: RateLimitStore;
  readonly identify: (request: Request, req: IncomingMessage | undefined) => string | undefined;
}): Plugin<GraphContext> {
  const { store, identify } = options;
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue as GraphContext & {
        readonly request?: Request;
        readonly req?: IncomingMessage;
      };
      if (!context.request) return;
      const key = identify(context.request, context.req);
      if (key === undefined) return;
      const charged = Math.max(1, context.calls.estimate ?? 0);
      const decision = await store.take(key, charged);
      if (!decision.allowed) {
        const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
        setResultAndStopExecution({
          errors: [
            new GraphQLError(
              `This client has used up its rate of upstream calls; retry in ${seconds} s.`,
              {
                extensions: {
                  code: 'RATE_LIMITED',
                  retryAfterSeconds: seconds,
                  http: { status: 429, headers: { 'retry-after': String(seconds) } },
                },
              },
            ),
          ],
        });
        return;
      }
      return {
        onExecuteDone() {
          const owed = Math.max(1, context.calls.made);
          if (owed !== charged) {
            store.adjust(key, charged - owed).catch(() => {
              // A store that cannot settle leaves the estimate charged: the safe side.
            });
          }
        },
      };
    },
  };
}
