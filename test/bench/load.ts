import autocannon from 'autocannon';
import type { Correctness } from './report.js';

/**
 * Closed-loop load with autocannon: `connections` clients, each sending its next request as soon as
 * the previous answer arrives. Latencies are taken from every response event as floats (autocannon's
 * own histogram rounds to whole milliseconds, too coarse for a 3 ms budget) and every answer is
 * checked, the cheap way for all of them and in full for a sample.
 */

export interface LoadRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Returns why a response body is wrong, or undefined when it is right. */
export type BodyCheck = (body: string) => string | undefined;

export interface LoadOptions {
  readonly connections: number;
  /** The length of the window. */
  readonly seconds: number;
  /**
   * The rate seen in the warm-up. Given it, the window is a fixed number of requests (rate ×
   * seconds) that all get their answer, instead of a timed window that cuts the last ones off: the
   * gateway then has no abandoned requests still calling upstreams into the next window, and
   * upstream calls divide exactly by queries.
   */
  readonly expectedRps?: number;
  /** A fixed number of requests in all, whatever the rate (wins over `expectedRps`). */
  readonly amount?: number;
  /** A GraphQL answer: any `errors` key counts against it. */
  readonly graphql?: boolean;
  /** Full check of the first 10 responses and of one in `sampleEvery` after them. */
  readonly check?: BodyCheck;
  /** @default 20 */
  readonly sampleEvery?: number;
}

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Responses, failures and checks of one window, as the report records them. */
export interface LoadResult extends Correctness {
  readonly connections: number;
  /** Wall time of the window, in s. */
  readonly seconds: number;
  readonly rps: number;
  /** Of 2xx responses, in ms. */
  readonly latency: LatencySummary;
  /** CPU the benchmark process itself used, as a share of one core: near 100 % it is the limit. */
  readonly generatorCpuPercent: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: Float64Array | readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export async function runLoad(request: LoadRequest, options: LoadOptions): Promise<LoadResult> {
  const sampleEvery = options.sampleEvery ?? 20;
  let latencies = new Float64Array(16_384);
  let recorded = 0;
  let responses = 0;
  let graphqlErrors = 0;
  let sampled = 0;
  let sampleFailures = 0;
  let firstFailure: string | undefined;
  let seen = 0;

  const verifyBody = (body: string): boolean => {
    seen++;
    // `"errors":` can only be a key: inside a JSON string its quotes would be escaped.
    if (options.graphql && body.includes('"errors":')) {
      graphqlErrors++;
      firstFailure ??= `errors in response: ${body.slice(0, 300)}`;
    }
    // The first answers are all checked, so that a short window is still checked at all.
    if (options.check && (seen <= 10 || seen % sampleEvery === 0)) {
      sampled++;
      const failure = options.check(body);
      if (failure !== undefined) {
        sampleFailures++;
        firstFailure ??= failure;
      }
    }
    return true;
  };

  const amount =
    options.amount ??
    (options.expectedRps !== undefined && Number.isFinite(options.expectedRps)
      ? // At least one request per connection, or the window would never reach its concurrency.
        Math.max(options.connections, Math.round(options.expectedRps * options.seconds))
      : undefined);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const instance = autocannon({
    url: request.url,
    method: request.method,
    headers: { ...request.headers },
    ...(request.body !== undefined ? { body: request.body } : {}),
    connections: options.connections,
    ...(amount !== undefined ? { amount } : { duration: options.seconds }),
    // Short ticks: a timed window ends on one, so 1 s ticks would stretch a 1.2 s window to 2 s.
    sampleInt: 100,
    timeout: 30,
    verifyBody,
  });
  // A counted window on a gateway that slowed down must still end: cut it off at 3× its length.
  const watchdog =
    amount !== undefined
      ? setTimeout(() => instance.stop(), options.seconds * 3000 + 5000)
      : undefined;
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    responses++;
    if (status < 200 || status > 299) return;
    if (recorded === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[recorded++] = ms;
  });
  const result = await instance.then((value) => {
    clearTimeout(watchdog);
    return value;
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);

  const sorted = latencies.subarray(0, recorded).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    connections: options.connections,
    seconds,
    responses,
    rps: responses / seconds,
    latency: {
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: recorded > 0 ? (sorted[recorded - 1] as number) : Number.NaN,
      mean: recorded > 0 ? sum / recorded : Number.NaN,
    },
    non2xx: result.non2xx,
    // autocannon counts a timeout as an error too.
    connectionErrors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    graphqlErrors,
    sampled,
    sampleFailures,
    firstFailure,
    generatorCpuPercent: ((cpu.user + cpu.system) / 1000 / (seconds * 1000)) * 100,
  };
}
