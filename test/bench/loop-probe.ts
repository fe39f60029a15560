import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Preloaded into the gateway process by the benchmark (`--import`), never by the product, and only
 * when the gateway serves no event-loop gauge at /metrics (metrics turned off, or a build from
 * before they existed): it measures the delay without touching src/. It answers over the IPC
 * channel the benchmark opens, and does nothing in a process without one.
 * Cost inside the gateway: one libuv timer every RESOLUTION_MS and a histogram update.
 */

export const RESOLUTION_MS = 10;

export interface LoopProbeRequest {
  readonly type: 'bench:loop';
  readonly op: 'reset' | 'read';
}

export interface LoopProbeReply {
  readonly type: 'bench:loop';
  /** Delay beyond the timer's own interval, in ms. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly samples: number;
}

function isRequest(message: unknown): message is LoopProbeRequest {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === 'bench:loop'
  );
}

if (typeof process.send === 'function') {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  // The histogram records the whole timer interval, so an idle loop reads RESOLUTION_MS.
  const lag = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  process.on('message', (message: unknown) => {
    if (!isRequest(message)) return;
    if (message.op === 'reset') histogram.reset();
    const reply: LoopProbeReply = {
      type: 'bench:loop',
      p50: lag(histogram.percentile(50)),
      p99: lag(histogram.percentile(99)),
      max: lag(histogram.max),
      samples: histogram.count,
    };
    process.send?.(reply);
  });
  // A benchmark that dies must not leave its gateway behind: stop the way an operator would.
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  // The channel must not keep the gateway alive, or its own shutdown would wait for the bench.
  process.channel?.unref();
}
