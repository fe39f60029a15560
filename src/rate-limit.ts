import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';
import type { GraphContext } from './context.js';
import { presentedApiKey } from './plugins.js';
import type { SharedRedis } from './redis.js';

/**
 * Per-client rate limiting, counted in upstream calls: every client has a token bucket, an
 * operation takes as many tokens as it is estimated to make upstream calls (at least one) before
 * it runs, and gives back what it did not use (or pays the difference) when it is done. A client
 * whose bucket cannot pay gets 429 with `Retry-After` and the code `RATE_LIMITED`; the other
 * clients are not affected.
 *
 * The buckets live behind `RateLimitStore`: in the process (one set per replica), or in Redis,
 * shared by every replica, where each change of a bucket is one atomic Lua script run by Redis
 * (its clock, not the replicas'), never a read followed by a write.
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
 * One token bucket in Redis, refilled and changed in one step. `ARGV[3]` is the change: a take
 * (`mode` 1) happens only when the bucket holds that many tokens; an adjustment (`mode` 0) always
 * happens, and may leave the bucket below zero. Answers {allowed, tokens left (floored), ms until
 * the take could succeed}. The key lives as long as the bucket needs to fill up, then a missing
 * bucket is a full one.
 */
const BUCKET_SCRIPT = `
-- Redis before 5 replicates scripts verbatim, which TIME followed by writes would break.
if redis.replicate_commands then redis.replicate_commands() end
local capacity = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2])
local change = tonumber(ARGV[3])
local mode = tonumber(ARGV[4])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
if now > at then tokens = math.min(capacity, tokens + (now - at) * per_ms) end
local allowed = 1
local wait = 0
if mode == 1 then
  if tokens >= change then
    tokens = tokens - change
  else
    allowed = 0
    wait = math.ceil((change - tokens) / per_ms)
  end
else
  tokens = math.min(capacity, tokens + change)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - math.min(tokens, 0)) / per_ms) + 1000)
return {allowed, math.floor(math.max(tokens, 0)), wait}
`;

/**
 * Buckets in Redis, shared by every replica: a client over its rate on one replica is over it on
 * all. When Redis cannot answer in time, the replica's own buckets (`fallback`) decide, so that
 * requests are never held up by Redis: the limit is then per replica until Redis is back.
 */
export function createRedisRateLimitStore(
  redis: SharedRedis,
  options: TokenBucketOptions,
  fallback: RateLimitStore = createMemoryRateLimitStore(options),
): RateLimitStore {
  const { capacity, refillPerSecond } = options;
  const perMs = String(refillPerSecond / 1000);
  const sha = createHash('sha1').update(BUCKET_SCRIPT).digest('hex');
  // By its digest; the script itself is sent only when Redis does not know it yet (a restart).
  const run = (key: string, change: number, mode: 0 | 1) =>
    redis.attempt('rate-limit', async (client) => {
      const args = [1, `rl:${key}`, String(capacity), perMs, String(change), mode] as const;
      try {
        return await client.evalsha(sha, ...args);
      } catch (error) {
        if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
        return client.eval(BUCKET_SCRIPT, ...args);
      }
    });
  return {
    async take(key, tokens) {
      const answer = await run(key, tokens, 1);
      if (!Array.isArray(answer)) return fallback.take(key, tokens);
      const [allowed, remaining, wait] = answer.map(Number) as [number, number, number];
      return allowed === 1
        ? { allowed: true, remaining }
        : { allowed: false, remaining, retryAfterMs: wait };
    },
    async adjust(key, tokens) {
      const answer = await run(key, tokens, 0);
      if (!Array.isArray(answer)) await fallback.adjust(key, tokens);
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
      const key = presentedApiKey(request);
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
