import type { ColdStart, CpuRounds, Memory, Row, Target, TargetCheck } from './report.js';

/**
 * What the benchmark holds the gateway to. The README states the same targets; each is a figure
 * of one run, or a ratio of two figures of the same run.
 */

function find(rows: readonly Row[], scenario: string, target: Target, c: number): Row | undefined {
  return rows.find((r) => r.scenario === scenario && r.target === target && r.connections === c);
}

function check(
  description: string,
  value: number | undefined,
  format: (v: number) => string,
  pass: (v: number) => boolean,
  note?: string,
): TargetCheck {
  if (value === undefined || !Number.isFinite(value)) {
    return { description, figure: undefined, met: undefined, ...(note ? { note } : {}) };
  }
  return { description, figure: format(value), met: pass(value), ...(note ? { note } : {}) };
}

export interface Measurements {
  readonly rows: readonly Row[];
  readonly cpu: CpuRounds | undefined;
  readonly memoryCpu: CpuRounds | undefined;
  readonly alone: CpuRounds | undefined;
  readonly cold: ColdStart | undefined;
  readonly memory: Memory | undefined;
}

export const CPU_TARGET_MS = 1.5;
export const CPU_AIM_MS = 1.2;
/** How far the run's CPU figure and the gateway measured alone may differ. */
export const AGREEMENT = 0.15;

export function evaluateTargets({
  rows,
  cpu,
  memoryCpu,
  alone,
  cold,
  memory,
}: Measurements): TargetCheck[] {
  const merged50 = find(rows, 'merged-0ms', 'gateway', 50);
  const latency10 = find(rows, 'merged-20ms', 'gateway-distinct', 10);
  const latency50 = find(rows, 'merged-20ms', 'gateway', 50);
  const skewed10 = find(rows, 'merged-20-40ms', 'gateway-distinct', 10);
  const fromMemory = cpu && memoryCpu ? memoryCpu.median / cpu.median : undefined;
  const plain = find(rows, 'iot-20ms', 'gateway', 1);
  const details = find(rows, 'iot-details-20ms', 'gateway', 1);
  const iotDirect = rows.find((r) => r.target === 'iot-direct' && r.title.includes('at 20 ms'));
  const agreement = cpu && alone ? Math.abs(cpu.median - alone.median) / alone.median : undefined;
  const detailsOver =
    plain && details && iotDirect
      ? (details.latencyMs.p50 - plain.latencyMs.p50) / iotDirect.latencyMs.p50
      : undefined;
  return [
    check(
      `CPU per merged jobs(first: 20) page, min of the rounds, ≤ ${CPU_TARGET_MS} ms (aim ${CPU_AIM_MS} ms)`,
      cpu?.min,
      (v) => `${v.toFixed(3)} ms (median ${cpu?.median.toFixed(3)} ms)`,
      (v) => v <= CPU_TARGET_MS,
      cpu ? `aim ${cpu.min <= CPU_AIM_MS ? 'reached' : 'not reached'}` : undefined,
    ),
    check(
      `the same figure measured another way, the gateway alone: medians within ${AGREEMENT * 100} %`,
      agreement,
      (v) =>
        `${(v * 100).toFixed(1)} % apart (${cpu?.median.toFixed(3)} ms vs ${alone?.median.toFixed(3)} ms)`,
      (v) => v <= AGREEMENT,
    ),
    check(
      'pages per CPU second, gateway ÷ the same gateway serving the page from memory (yoga, schema, plugins and cursors, no upstream client), from the CPU rounds: ≥ 0.35 (aim 0.5)',
      fromMemory,
      (v) => `${v.toFixed(2)}× (${memoryCpu?.median.toFixed(3)} ms ÷ ${cpu?.median.toFixed(3)} ms)`,
      (v) => v >= 0.35,
      fromMemory !== undefined ? `aim ${fromMemory >= 0.5 ? 'reached' : 'not reached'}` : undefined,
    ),
    check(
      'p50 over the slower upstream, both at 20 ms, c=10, different pages in flight: ≤ 3 ms',
      latency10?.addedLatencyMs?.p50,
      (v) => `${v.toFixed(2)} ms`,
      (v) => v <= 3,
    ),
    check(
      'p99 over the slower upstream, both at 20 ms, c=10, different pages in flight: ≤ 12 ms',
      latency10?.addedLatencyMs?.p99,
      (v) => `${v.toFixed(2)} ms`,
      (v) => v <= 12,
    ),
    check(
      'p50 with IoT at 20 ms and Import/Export at 40 ms, c=10, different pages in flight: ≤ 45 ms (the calls run in parallel)',
      skewed10?.latencyMs.p50,
      (v) => `${v.toFixed(2)} ms`,
      (v) => v <= 45,
    ),
    check(
      'an IoT page with the details of its 20 jobs, upstreams 20 ms, one client: p50 within 2 upstream round trips of the plain page',
      detailsOver,
      (v) =>
        `${v.toFixed(2)} round trips (${details?.latencyMs.p50.toFixed(1)} ms vs ${plain?.latencyMs.p50.toFixed(1)} ms, a round trip ${iotDirect?.latencyMs.p50.toFixed(1)} ms)`,
      (v) => v <= 2,
    ),
    check(
      'upstream calls per merged first page: 2 (one per upstream)',
      cpu?.upstreamCallsPerQuery ?? merged50?.upstreamCallsPerQuery,
      (v) => v.toFixed(3),
      (v) => v <= 2.0005,
    ),
    check(
      'RSS per 1,000 requests in flight (upstreams 50 ms): ≤ 150 MB (aim 100 MB)',
      memory?.perThousandInFlightMb,
      (v) => `${v.toFixed(0)} MB at c=${memory?.connections}`,
      (v) => v <= 150,
      memory?.perThousandInFlightMb !== undefined
        ? `aim ${memory.perThousandInFlightMb <= 100 ? 'reached' : 'not reached'}`
        : undefined,
    ),
    check(
      'event-loop delay p99 at c=50, upstreams 20 ms: ≤ 50 ms',
      latency50?.eventLoop?.p99Ms,
      (v) => `${v.toFixed(1)} ms`,
      (v) => v <= 50,
    ),
    check(
      'cold start, spawn to first correct merged page (median): ≤ 600 ms',
      cold?.medianFirstAnswerMs,
      (v) => `${v.toFixed(0)} ms`,
      (v) => v <= 600,
    ),
  ];
}
