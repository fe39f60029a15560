import { setMaxListeners } from 'node:events';
import { UpstreamError } from '../errors.js';
import type { CredentialsProvider, SourceName, UnknownValueReporter } from './types.js';

/** How one upstream call is retried. Both clients use the same policy. */
export interface RetryPolicy {
  /** Attempts in all, the first included. @default 3 */
  readonly maxAttempts: number;
  /** Base of the full-jitter backoff for 5xx and network errors. @default 100 */
  readonly baseDelayMs: number;
  /** Base of the backoff after throttling, which wants a longer pause. @default 500 */
  readonly throttleBaseDelayMs: number;
  /** No single pause is longer than this. @default 2000 */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 100,
  throttleBaseDelayMs: 500,
  maxDelayMs: 2000,
});

/**
 * A token bucket shared by all calls to one upstream, as the AWS SDKs keep one: every retry spends
 * tokens and every success earns one back, so an upstream that keeps failing is not hammered with
 * `maxAttempts` times the traffic. When the bucket is empty, calls get one attempt each.
 */
export class RetryBudget {
  private tokens: number;

  constructor(
    private readonly capacity = 500,
    private readonly retryCost = 5,
    private readonly successRefund = 1,
  ) {
    this.tokens = capacity;
  }

  tryAcquire(): boolean {
    if (this.tokens < this.retryCost) return false;
    this.tokens -= this.retryCost;
    return true;
  }

  recordSuccess(): void {
    this.tokens = Math.min(this.capacity, this.tokens + this.successRefund);
  }

  get available(): number {
    return this.tokens;
  }
}

/** What both upstream clients take, besides their endpoint. */
export interface UpstreamClientOptions {
  /** Where credentials come from; asked per attempt, so refreshed ones are picked up. */
  readonly credentials: CredentialsProvider;
  /** Deadline of one call, retries and pauses included. */
  readonly timeoutMs: number;
  /** @default DEFAULT_RETRY_POLICY */
  readonly retry?: RetryPolicy | undefined;
  /** Retry tokens shared by every call of the client. @default none: the policy alone bounds */
  readonly budget?: RetryBudget | undefined;
  /** Pooled keep-alive sockets per agent. @default 50 */
  readonly maxSockets?: number | undefined;
  /** After every attempt, for logs and metrics. */
  readonly onAttempt?: ((outcome: AttemptOutcome & { operation: string }) => void) | undefined;
  /** Told of enum values the gateway does not know (the records keep them as sent). */
  readonly onUnknownValue?: UnknownValueReporter | undefined;
}

export interface CallContext {
  /** Aborted when this attempt's deadline passes or the caller goes away. */
  readonly signal: AbortSignal;
  readonly attempt: number;
}

export interface RetryOptions {
  readonly source: SourceName;
  /** The region of a regional upstream, named in its errors. */
  readonly region?: string | undefined;
  readonly policy: RetryPolicy;
  /** Deadline of the whole call, retries and pauses included. */
  readonly timeoutMs: number;
  /** The caller's signal (GraphQL request deadline, client disconnect). */
  readonly signal?: AbortSignal | undefined;
  readonly budget?: RetryBudget | undefined;
  /** Turns whatever an attempt threw into a classified error. Timeouts are handled here. */
  readonly classify: (error: unknown) => UpstreamError;
  /** Called after each attempt, for logs and metrics. */
  readonly onAttempt?: ((outcome: AttemptOutcome) => void) | undefined;
  /** The caller's own hook, also called after each attempt of this call. */
  readonly onCallAttempt?: (() => void) | undefined;
  /** Randomness of the jitter, replaceable for tests. @default Math.random */
  readonly random?: () => number;
}

export interface AttemptOutcome {
  readonly source: SourceName;
  readonly attempt: number;
  readonly durationMs: number;
  readonly error: UpstreamError | undefined;
}

/**
 * Runs `operation` under one deadline with bounded, jittered retries. Only throttling, 5xx and
 * network errors are retried; a timeout is not, because the deadline it hit is the whole call's.
 * The deadline is enforced with an AbortSignal handed to the operation: the SDK's own socket
 * timeouts do not end a hung call, an aborted signal does.
 */
export async function callWithRetry<T>(
  options: RetryOptions,
  operation: (context: CallContext) => Promise<T>,
): Promise<T> {
  const random = options.random ?? Math.random;
  const deadline = callDeadline(options.signal, options.timeoutMs);
  try {
    return await attempts(options, operation, deadline.signal, random);
  } finally {
    deadline.release();
  }
}

interface Deadline {
  readonly signal: AbortSignal;
  release(): void;
}

/**
 * The deadline of one call: `timeoutMs` from its start, or sooner when the caller's signal aborts.
 * Its timer is cleared once the call settles: AbortSignal.timeout would leave a timer behind that
 * fires long after the call, and AbortSignal.any keeps a registry of its sources; both cost more
 * than this on a path taken for every upstream call.
 */
function callDeadline(outer: AbortSignal | undefined, timeoutMs: number): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('upstream call deadline', 'TimeoutError')),
    timeoutMs,
  );
  if (!outer) return { signal: controller.signal, release: () => clearTimeout(timer) };
  const follow = () => controller.abort(outer.reason);
  if (outer.aborted) follow();
  else {
    // One caller's signal may carry many calls at once (a page's details), each listening.
    setMaxListeners(0, outer);
    outer.addEventListener('abort', follow, { once: true });
  }
  return {
    signal: controller.signal,
    release: () => {
      clearTimeout(timer);
      outer.removeEventListener('abort', follow);
    },
  };
}

async function attempts<T>(
  options: RetryOptions,
  operation: (context: CallContext) => Promise<T>,
  signal: AbortSignal,
  random: () => number,
): Promise<T> {
  const { source, policy, budget } = options;
  for (let attempt = 1; ; attempt++) {
    const started = performance.now();
    if (signal.aborted) throw timeoutError(options, attempt - 1, signal);
    try {
      const result = await operation({ signal, attempt });
      options.onCallAttempt?.();
      options.onAttempt?.({
        source,
        attempt,
        durationMs: performance.now() - started,
        error: undefined,
      });
      budget?.recordSuccess();
      return result;
    } catch (thrown) {
      const error = signal.aborted
        ? timeoutError(options, attempt, signal)
        : options.classify(thrown);
      error.attempts = attempt;
      options.onCallAttempt?.();
      options.onAttempt?.({ source, attempt, durationMs: performance.now() - started, error });
      if (!error.retryable || attempt >= policy.maxAttempts) throw error;
      if (budget && !budget.tryAcquire()) throw error;
      const base =
        error.code === 'UPSTREAM_THROTTLED' ? policy.throttleBaseDelayMs : policy.baseDelayMs;
      const pause = Math.floor(random() * Math.min(policy.maxDelayMs, base * 2 ** (attempt - 1)));
      try {
        await sleep(pause, signal);
      } catch {
        throw error;
      }
    }
  }
}

function timeoutError(options: RetryOptions, attempts: number, signal: AbortSignal): UpstreamError {
  return new UpstreamError('UPSTREAM_TIMEOUT', options.source, {
    attempts,
    cause: signal.reason,
    region: options.region,
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
