// autocannon ships no types. Only the programmatic surface the benchmark uses is declared here.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  interface AutocannonOptions {
    url: string;
    method?: 'GET' | 'POST';
    headers?: Record<string, string>;
    body?: string | Buffer;
    connections?: number;
    /** Seconds; fractions are accepted. */
    duration?: number;
    /** Stop after this many responses in all (instead of after `duration`). */
    amount?: number;
    /** How often autocannon samples, in ms; a duration run also ends on one of these ticks. */
    sampleInt?: number;
    /** Per-request timeout in seconds. */
    timeout?: number;
    /** Called with every response body; returning false counts a mismatch. */
    verifyBody?: (body: string) => boolean;
    /** A sequence each connection goes through; `setupRequest` may change the request sent. */
    requests?: {
      setupRequest?: (request: Record<string, unknown>) => Record<string, unknown>;
    }[];
  }

  interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p99: number;
  }

  interface AutocannonResult {
    duration: number;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    resets: number;
    latency: Histogram;
    requests: Histogram & { total: number; sent: number };
    throughput: Histogram & { total: number };
    statusCodeStats: Record<string, { count: number }>;
  }

  interface AutocannonInstance extends EventEmitter, PromiseLike<AutocannonResult> {
    stop(): void;
  }

  function autocannon(options: AutocannonOptions): AutocannonInstance;
  export default autocannon;
  export type { AutocannonInstance, AutocannonOptions, AutocannonResult };
}
