import { Redis } from 'ioredis';
import type { Logger } from './logger.js';

/**
 * The one Redis connection of a replica, shared by the cache of upstream reads, the rate-limit
 * buckets and the automatic persisted queries. Redis is an optimisation here, never a dependency:
 *
 * - every command has a short deadline (`REDIS_TIMEOUT_MS`), so a frozen Redis costs a request
 *   that much at most, never its answer;
 * - commands are not queued while the connection is down: they fail at once, and the callers fall
 *   back (the cache is bypassed, rate limits use the replica's own buckets, an unknown APQ hash is
 *   answered as not found);
 * - after a command times out, or a few fail in a row, Redis is left alone for a moment, so that
 *   a Redis that hangs does not add its timeout to every read; then one command probes it while
 *   the others still go without, until it answers;
 * - the client reconnects by itself, forever, with a capped backoff: caching resumes within
 *   seconds of Redis coming back, without a restart.
 *
 * Callers use `attempt`, which never throws: it resolves to the command's result, or to
 * `undefined` when Redis could not answer.
 */
export interface SharedRedis {
  /** Runs `command`; undefined when Redis is unavailable, slow or failing (counted, logged once). */
  attempt<T>(operation: string, command: (client: Redis) => Promise<T>): Promise<T | undefined>;
  /** Whether commands are being sent now (connected, and not resting after failures). */
  available(): boolean;
  status(): RedisStatus;
  /** Closes the connection; later attempts resolve to undefined. */
  close(): Promise<void>;
}

export interface RedisStatus {
  /** `ok` when connected and answering; `degraded` otherwise (the gateway serves without it). */
  readonly state: 'ok' | 'degraded';
  /** The client's connection state: ready, connecting, reconnecting, end... */
  readonly connection: string;
  /** Commands that failed or timed out since start (not those never sent while it was away). */
  readonly errors: number;
}

export interface RedisOptions {
  readonly url: string;
  /** Deadline of one command. */
  readonly timeoutMs: number;
  /** Put before every key. */
  readonly keyPrefix: string;
  readonly logger?: Logger | undefined;
  /**
   * Told of every command that failed or timed out (`failed`), or was not sent because Redis was
   * away or resting (`unavailable`) (metrics).
   */
  readonly onError?: ((operation: string, reason: 'failed' | 'unavailable') => void) | undefined;
}

/** Failures in a row after which Redis is rested. */
const FAILURES_BEFORE_REST = 5;
/** How long it is rested; then the next command tries it again. */
const REST_MS = 1000;
/** Longest pause between two reconnection attempts. */
const MAX_RECONNECT_DELAY_MS = 1000;

export function createRedis(options: RedisOptions): SharedRedis {
  const { logger, onError } = options;
  const client = new Redis(options.url, {
    keyPrefix: options.keyPrefix,
    commandTimeout: options.timeoutMs,
    connectTimeout: Math.max(options.timeoutMs * 4, 1000),
    // Nothing waits for a connection: a command sent while Redis is away fails at once, and
    // commands cut by a disconnection are not sent again later (their callers have moved on).
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    // Reconnect forever, quickly: the cache comes back on its own once Redis does.
    retryStrategy: (times) => Math.min(50 * times, MAX_RECONNECT_DELAY_MS),
    // Commands issued in the same tick (a batch of detail lookups) share one round trip.
    enableAutoPipelining: true,
    lazyConnect: false,
  });
  let closed = false;
  let errors = 0;
  let failuresInRow = 0;
  let restingUntil = 0;
  /** After a rest, one command finds out whether Redis answers again; the others skip it. */
  let probing = false;
  let usable: boolean | undefined;

  // Logged when the state changes, not on every reconnection attempt.
  const setUsable = (value: boolean) => {
    if (usable === value || closed) return;
    usable = value;
    if (value) logger?.info('redis connected: shared cache, rate limits and APQ are on');
    else {
      logger?.warn(
        'redis unavailable: serving without it (cache bypassed, per-replica rate limits, APQ re-registered by clients); reconnecting',
      );
    }
  };

  client.on('ready', () => {
    failuresInRow = 0;
    restingUntil = 0;
    probing = false;
    setUsable(true);
  });
  // The client reports connection errors as events; without a listener they would be thrown.
  client.on('error', () => setUsable(false));
  client.on('close', () => setUsable(false));

  const resting = () => restingUntil !== 0;
  const available = () => !closed && client.status === 'ready' && !resting();

  const rest = (operation: string) => {
    failuresInRow = 0;
    restingUntil = Date.now() + REST_MS;
    logger?.warn(
      { operation, restMs: REST_MS },
      'redis keeps failing or timing out: left alone for a moment',
    );
  };

  return {
    async attempt(operation, command) {
      let probe = false;
      if (!closed && client.status === 'ready' && resting()) {
        // Rested long enough: this command is the probe, unless another one already is.
        probe = !probing && Date.now() >= restingUntil;
        if (probe) probing = true;
      }
      if (!probe && !available()) {
        if (!closed) onError?.(operation, 'unavailable');
        return undefined;
      }
      try {
        const result = await command(client);
        failuresInRow = 0;
        if (probe) restingUntil = 0;
        return result;
      } catch (error) {
        // The error text may name the server; it is not logged per command.
        errors++;
        onError?.(operation, 'failed');
        failuresInRow++;
        // A command that timed out says Redis hangs: every other would wait as long.
        const timedOut = /timed out/i.test(String((error as Error)?.message));
        if (probe || timedOut || failuresInRow >= FAILURES_BEFORE_REST) rest(operation);
        return undefined;
      } finally {
        if (probe) probing = false;
      }
    },
    available,
    status: () => ({
      state: available() ? 'ok' : 'degraded',
      connection: client.status,
      errors,
    }),
    async close() {
      closed = true;
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}
