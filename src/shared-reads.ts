import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { LRUCache } from 'lru-cache';
import { UpstreamError } from './errors.js';
import type { SharedRedis } from './redis.js';
import type {
  DetailRead,
  JobSourceAdapter,
  ListRequest,
  SourceCall,
  SourcePage,
} from './sources/types.js';
import { stableJson } from './stable-json.js';

/**
 * Upstream reads shared beyond one request: the one process-wide layer between the per-request
 * page memo and loaders (context.ts, loaders.ts) and the upstreams.
 *
 * 1. Coalescing, always on: the same read (same upstream and credentials, operation, filter,
 *    token, page size or id) in flight for several requests at once is made once and its answer
 *    given to all. It introduces no staleness: a read joined is one still under way. A caller that
 *    goes away (deadline, client gone) stops waiting; the read goes on while any caller still
 *    waits, and is aborted only when the last one leaves.
 * 2. A cache of upstream reads, opt-in by TTL: list pages for `PAGE_CACHE_TTL_MS`, DescribeJob,
 *    GetStatus and DescribeThingGroup answers for `DETAIL_CACHE_TTL_MS`. Values are the gateway's
 *    own records (never an upstream's raw body), encoded as JSON, at most MAX_ENTRY_BYTES each.
 *    Errors are never cached. Without Redis the cache is a bounded LRU in the process; with Redis
 *    every replica shares it, and a miss takes a short lock in Redis so that replicas missing the
 *    same read at the same instant make it once: the others wait for the value to appear.
 *
 * A read that makes no upstream call (joined, or from the cache) is not charged to the request's
 * upstream-call budget nor to its client's rate limit: those count calls at the upstream clients,
 * where only the read that really goes out passes.
 */
export interface SharedReads {
  /** One list call of a source, coalesced and cached. */
  list(
    source: JobSourceAdapter,
    request: ListRequest,
    call: SourceCall,
    /** False: the walk no longer trusts the source's order, as for a list of unknown order. */
    ordered?: boolean,
  ): Promise<SourcePage>;
  /**
   * Detail reads (one per id) of one upstream, coalesced and cached; one promise per id, in order.
   * The cache is looked up for the whole batch at once. A read the cache does not answer waits
   * for a `slot` (the request's limiter on concurrent calls) before it joins a read in flight or
   * starts one: a read another request can join is always under way, never queued behind that
   * request's other calls.
   */
  details<T>(
    read: DetailRead,
    ids: readonly string[],
    signal: AbortSignal,
    load: (id: string, signal: AbortSignal) => Promise<T>,
    slot?: <R>(run: () => Promise<R>) => Promise<R>,
  ): Promise<T>[];
}

/** Which cache a lookup was made in, for metrics. */
export type ReadKind = 'page' | 'detail';

export interface SharedReadsOptions {
  /** 0: pages are never cached. */
  readonly pageTtlMs: number;
  /** 0: details are never cached. */
  readonly detailTtlMs: number;
  /** Where cached reads live; none when both TTLs are 0. */
  readonly cache?: ReadCache | undefined;
  /**
   * A stable, non-secret identifier of the data an upstream serves (its endpoint and credentials),
   * by upstream key (`IOT:<region>`, `IMPORT_EXPORT`). Part of every key: two gateways reading with
   * different credentials never share a read. @default the upstream key alone
   */
  readonly identities?: ReadonlyMap<string, () => Promise<string>> | undefined;
  /** How long a replica waits for another to fill the cache before reading itself. */
  readonly lockMs: number;
  readonly onLookup?: ((kind: ReadKind, result: 'hit' | 'miss') => void) | undefined;
  /** A caller served by a read in flight: on this replica, or on another (through Redis). */
  readonly onCoalesced?: ((kind: ReadKind, where: 'replica' | 'redis') => void) | undefined;
}

/** The largest value cached; larger pages (a recovery reading 1,000 jobs at once) are not. */
export const MAX_ENTRY_BYTES = 1024 * 1024;
/** Bumped whenever the encoding of a cached value changes: old entries are then never read. */
const FORMAT = 'v1';

export function createSharedReads(options: SharedReadsOptions): SharedReads {
  const { pageTtlMs, detailTtlMs, identities, onLookup, onCoalesced } = options;
  const cache = pageTtlMs > 0 || detailTtlMs > 0 ? options.cache : undefined;
  const flights = createFlights();
  // Without an identity (the credentials cannot be resolved now) a read is neither shared nor
  // cached: it goes to its upstream, which answers for itself.
  const identityOf = (upstream: string): Promise<string | undefined> =>
    (identities?.get(upstream)?.() ?? Promise.resolve(upstream)).catch(() => undefined);

  /**
   * The read behind a flight: the cache (unless the caller looked it up already), then, on a
   * shared cache, the lock or the wait for another replica's read, then the upstream.
   */
  const fill = async <T>(
    kind: ReadKind,
    key: string,
    ttlMs: number,
    signal: AbortSignal,
    load: (signal: AbortSignal) => Promise<T>,
    lookedUp: boolean,
  ): Promise<T> => {
    if (!cache || ttlMs <= 0) return load(signal);
    if (!lookedUp) {
      const hit = decode<T>(await cache.get(key));
      onLookup?.(kind, hit === undefined ? 'miss' : 'hit');
      if (hit !== undefined) return hit;
    }
    let locked = false;
    if (cache.shared) {
      const lock = await cache.lock(key, options.lockMs);
      if (lock === 'held') {
        const value = decode<T>(await waitForOther(cache, key, options.lockMs, signal));
        if (value !== undefined) {
          onCoalesced?.(kind, 'redis');
          return value;
        }
      }
      locked = lock === 'acquired';
    }
    let value: T;
    try {
      value = await load(signal);
    } catch (error) {
      // The others waiting for this read stop waiting and read for themselves.
      if (locked) cache.unlock(key);
      throw error;
    }
    const text = encode(value);
    if (text.length <= MAX_ENTRY_BYTES) cache.set(key, text, ttlMs);
    else if (locked) cache.unlock(key);
    return value;
  };

  return {
    async list(source, request, call, ordered = true) {
      const identity = await identityOf(source.key);
      if (identity === undefined) return source.list(request, call);
      // A cache can serve a walk an older version of a page after a newer one: caches per
      // replica, or Redis coming back from a rest (pages read meanwhile went uncached, the
      // version from before the rest may still be there). Positions in a list of known order
      // continue after a key, which no version can undo; in a list of unknown order (or one that
      // contradicted its order during this walk) a job seen on the newer version could come again
      // from the older one. Such pages are therefore neither served from nor kept in a cache, only
      // coalesced.
      const ttlMs = ordered && source.order !== 'unknown' ? pageTtlMs : 0;
      const key = keyOf('list', identity, source.key, request.token, request.size, request.query);
      return flights.run(
        key,
        call.signal,
        (signal) =>
          fill(
            'page',
            key,
            ttlMs,
            signal,
            (s) => source.list(request, { upstreams: call.upstreams, signal: s }),
            false,
          ),
        {
          leave: (reason) =>
            new UpstreamError('UPSTREAM_TIMEOUT', source.source, {
              region: source.region ?? undefined,
              attempts: 0,
              cause: reason,
            }),
          onJoin: () => onCoalesced?.('page', 'replica'),
        },
      );
    },

    details<T>(
      read: DetailRead,
      ids: readonly string[],
      signal: AbortSignal,
      load: (id: string, signal: AbortSignal) => Promise<T>,
      slot: <R>(run: () => Promise<R>) => Promise<R> = (run) => run(),
    ): Promise<T>[] {
      const upstream = read.region ? `${read.source}:${read.region}` : read.source;
      const keys = identityOf(upstream).then((identity) =>
        identity === undefined
          ? undefined
          : ids.map((id) => keyOf(read.operation, identity, upstream, id)),
      );
      const cached =
        cache && detailTtlMs > 0
          ? keys.then((all) => (all ? cache.getMany(all) : undefined))
          : Promise.resolve(undefined);
      const leave = (reason: unknown) =>
        new UpstreamError('UPSTREAM_TIMEOUT', read.source, {
          region: read.region,
          attempts: 0,
          cause: reason,
        });
      return ids.map(async (id, index) => {
        const all = await keys;
        if (all === undefined) return slot(() => load(id, signal));
        const key = all[index] as string;
        const texts = await cached;
        const lookedUp = texts !== undefined;
        if (lookedUp) {
          const hit = decode<T>(texts[index]);
          onLookup?.('detail', hit === undefined ? 'miss' : 'hit');
          if (hit !== undefined) return hit;
        }
        return slot(() =>
          flights.run(
            key,
            signal,
            (s) => fill('detail', key, detailTtlMs, s, (inner) => load(id, inner), lookedUp),
            { leave, onJoin: () => onCoalesced?.('detail', 'replica') },
          ),
        );
      });
    },
  };
}

/** Keys hold no token, id or identity in clear: a digest of everything that shapes the read. */
function keyOf(operation: string, ...parts: unknown[]): string {
  const digest = createHash('sha256')
    .update(stableJson([FORMAT, operation, ...parts]))
    .digest('base64url')
    .slice(0, 32);
  return `read:${digest}`;
}

/**
 * Records hold dates; JSON would turn them into strings. A date is written as `{"$date": ms}`,
 * which no record field can hold otherwise (upstream text only ever lands in string fields).
 */
export function encode(value: unknown): string {
  return JSON.stringify(value, function replacer(this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    if (raw instanceof Date) {
      const ms = raw.getTime();
      return { $date: Number.isNaN(ms) ? null : ms };
    }
    return v;
  });
}

export function decode<T>(text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text, (_key, v: unknown) => {
      if (v !== null && typeof v === 'object' && '$date' in v && Object.keys(v).length === 1) {
        const ms = (v as { $date: unknown }).$date;
        return new Date(typeof ms === 'number' ? ms : Number.NaN);
      }
      return v;
    }) as T;
  } catch {
    return undefined; // an entry that does not parse is a miss
  }
}

/**
 * Polls for the value another replica is reading, until it appears, the other's lock goes (it
 * failed: read it here), Redis stops answering, or the lock's time is up.
 */
async function waitForOther(
  cache: ReadCache,
  key: string,
  lockMs: number,
  signal: AbortSignal,
): Promise<string | undefined> {
  const deadline = performance.now() + lockMs;
  let pause = 5;
  while (!signal.aborted && performance.now() < deadline) {
    await pauseFor(pause, signal);
    pause = Math.min(pause * 2, 50);
    const seen = await cache.peek(key);
    if (seen === undefined) return undefined;
    if (seen.value !== undefined) return seen.value;
    if (!seen.locked) return undefined;
  }
  return undefined;
}

function pauseFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

// ---------------------------------------------------------------------------------------------
// Coalescing

interface Flight {
  readonly promise: Promise<unknown>;
  readonly controller: AbortController;
  waiters: number;
  settled: boolean;
}

interface FlightOptions {
  /** The error a caller gets when it stops waiting (its deadline passed, its client left). */
  readonly leave: (reason: unknown) => Error;
  readonly onJoin?: (() => void) | undefined;
}

/**
 * Reads in flight by key. A flight runs under a signal of its own, aborted only when every caller
 * has left (with the last one's reason, so that a deadline still counts as a timeout and a client
 * that left does not count against the upstream's breaker).
 */
function createFlights() {
  const flights = new Map<string, Flight>();

  const start = (key: string, read: (signal: AbortSignal) => Promise<unknown>): Flight => {
    const controller = new AbortController();
    // Every upstream attempt of the read listens to it.
    setMaxListeners(0, controller.signal);
    const flight: Flight = {
      promise: Promise.resolve().then(() => read(controller.signal)),
      controller,
      waiters: 0,
      settled: false,
    };
    const done = () => {
      flight.settled = true;
      if (flights.get(key) === flight) flights.delete(key);
    };
    flight.promise.then(done, done);
    flights.set(key, flight);
    return flight;
  };

  const run = <T>(
    key: string,
    signal: AbortSignal,
    read: (signal: AbortSignal) => Promise<T>,
    options: FlightOptions,
  ): Promise<T> => {
    if (signal.aborted) return Promise.reject(options.leave(signal.reason));
    const found = flights.get(key);
    const joined = found !== undefined;
    const flight = found ?? start(key, read);
    if (joined) options.onJoin?.();
    flight.waiters++;
    return new Promise<T>((resolve, reject) => {
      let gone = false;
      const leave = () => {
        if (gone) return false;
        gone = true;
        signal.removeEventListener('abort', onAbort);
        flight.waiters--;
        return true;
      };
      const onAbort = () => {
        if (!leave()) return;
        if (flight.waiters === 0 && !flight.settled) {
          // Nobody waits any more: the read is let go, and the next caller starts a new one.
          if (flights.get(key) === flight) flights.delete(key);
          flight.controller.abort(signal.reason);
        }
        reject(options.leave(signal.reason));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (value) => {
          if (leave()) resolve(value as T);
        },
        (error: unknown) => {
          if (!leave()) return;
          // The request that started the read had used up its own budget of upstream calls: that
          // says nothing of this one, which reads for itself.
          if (joined && isPersonal(error)) resolve(run(key, signal, read, options));
          else reject(error);
        },
      );
    });
  };

  return { run };
}

function isPersonal(error: unknown): boolean {
  return error instanceof UpstreamError && error.code === 'UPSTREAM_CALL_BUDGET_EXCEEDED';
}

// ---------------------------------------------------------------------------------------------
// Where cached reads live

export interface ReadCache {
  /** True when replicas share it (Redis): misses then take a lock. */
  readonly shared: boolean;
  /** The value, or undefined when absent, expired or unreadable (Redis down counts as absent). */
  get(key: string): Promise<string | undefined>;
  getMany(keys: readonly string[]): Promise<(string | undefined)[]>;
  /** Stores without waiting; releases the key's lock. */
  set(key: string, value: string, ttlMs: number): void;
  /** `acquired`, `held` by another replica, or `unavailable` (no shared store to ask). */
  lock(key: string, ttlMs: number): Promise<'acquired' | 'held' | 'unavailable'>;
  unlock(key: string): void;
  /** The value and whether its lock is held; undefined when the store cannot answer. */
  peek(key: string): Promise<{ value: string | undefined; locked: boolean } | undefined>;
}

/**
 * The cache of one replica: an LRU bounded in bytes, entries expiring at their TTL.
 * @param now the clock of the TTLs (tests move it); @default performance.now
 */
export function createMemoryReadCache(maxBytes: number, now?: () => number): ReadCache {
  const entries = new LRUCache<string, string>({
    ...(now ? { perf: { now } } : {}),
    maxSize: maxBytes,
    // JavaScript strings take two bytes a character, plus the key.
    sizeCalculation: (value, key) => (value.length + key.length) * 2 + 64,
    maxEntrySize: MAX_ENTRY_BYTES * 2,
  });
  return {
    shared: false,
    get: (key) => Promise.resolve(entries.get(key)),
    getMany: (keys) => Promise.resolve(keys.map((key) => entries.get(key))),
    set: (key, value, ttlMs) => {
      entries.set(key, value, { ttl: ttlMs });
    },
    lock: () => Promise.resolve('unavailable'),
    unlock: () => undefined,
    peek: (key) => Promise.resolve({ value: entries.get(key), locked: false }),
  };
}

/** The cache every replica shares, in Redis. */
export function createRedisReadCache(redis: SharedRedis): ReadCache {
  const lockKey = (key: string) => `lock:${key}`;
  const text = (value: string | null | undefined) => value ?? undefined;
  return {
    shared: true,
    get: async (key) => text(await redis.attempt('get', (c) => c.get(key))),
    async getMany(keys) {
      if (keys.length === 0) return [];
      const values = await redis.attempt('mget', (c) => c.mget(...keys));
      return values ? values.map(text) : keys.map(() => undefined);
    },
    set(key, value, ttlMs) {
      void redis.attempt('set', (c) =>
        c.multi().set(key, value, 'PX', ttlMs).del(lockKey(key)).exec(),
      );
    },
    async lock(key, ttlMs) {
      const answer = await redis.attempt('lock', (c) =>
        c.set(lockKey(key), '1', 'PX', ttlMs, 'NX'),
      );
      if (answer === undefined) return 'unavailable';
      return answer === 'OK' ? 'acquired' : 'held';
    },
    unlock(key) {
      void redis.attempt('unlock', (c) => c.del(lockKey(key)));
    },
    async peek(key) {
      const values = await redis.attempt('peek', (c) => c.mget(key, lockKey(key)));
      if (!values) return undefined;
      return { value: text(values[0]), locked: values[1] !== null && values[1] !== undefined };
    },
  };
}
