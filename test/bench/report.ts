/**
 * The results of one run: the types written to .bench/latest.json, and their Markdown rendering.
 * Every comparison is between figures of the same run (the machine's speed varies by a third from
 * one run to the next, so absolute rps compare nothing).
 */

export type Target =
  'gateway' | 'gateway-distinct' | 'memory' | 'bare' | 'iot-direct' | 'import-export-direct';

export interface Correctness {
  readonly responses: number;
  readonly non2xx: number;
  readonly connectionErrors: number;
  readonly timeouts: number;
  /** GraphQL answers with an `errors` key. */
  readonly graphqlErrors: number;
  /** Answers whose body was checked (every 2xx answer). */
  readonly checked: number;
  /** Checked answers that were not the reference bytes (or lacked the expected marker). */
  readonly wrong: number;
  readonly firstFailure: string | undefined;
}

export interface Row {
  readonly scenario: string;
  readonly title: string;
  readonly target: Target;
  readonly connections: number;
  readonly seconds: number;
  readonly rps: number;
  readonly latencyMs: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
    readonly mean: number;
  };
  /** Upstream requests the simulators saw, per answered query (gateway rows only). */
  readonly upstreamCallsPerQuery: number | undefined;
  readonly upstreamCalls:
    | {
        readonly iot: Readonly<Record<string, number>>;
        readonly importExport: Readonly<Record<string, number>>;
        readonly iotMaxInFlight: number;
        readonly importExportMaxInFlight: number;
      }
    | undefined;
  /** CPU time of the measured process per answered request, from /proc. */
  readonly cpuMsPerRequest: number | undefined;
  /** The measured process's CPU as a share of one core over the window. */
  readonly cpuPercent: number | undefined;
  readonly peakRssMb: number | undefined;
  /** Event-loop delay beyond the monitor's own interval, in ms, and where it was read. */
  readonly eventLoop:
    | {
        readonly p99Ms: number;
        /** The gauge as /metrics serves it, the interval included. */
        readonly rawP99Ms?: number;
        readonly maxMs?: number;
        readonly source: '/metrics' | 'probe';
      }
    | undefined;
  /** The load generator's own CPU share: near 100 % it is the limit. */
  readonly generatorCpuPercent: number;
  readonly correctness: Correctness;
  /** Gateway rps divided by the bare server's at the same concurrency and bytes. */
  readonly rpsVsBare?: number;
  /** Gateway rps divided by the gateway serving from memory, at the same concurrency. */
  readonly rpsVsMemory?: number;
  /** Gateway latency minus the upstream-direct latency (the slower upstream), at c=10. */
  readonly addedLatencyMs?: { readonly p50: number; readonly p99: number };
}

export interface ColdStart {
  readonly runs: readonly { readonly readyMs: number; readonly firstAnswerMs: number }[];
  readonly medianFirstAnswerMs: number;
  readonly medianReadyMs: number;
}

export interface Memory {
  readonly connections: number;
  readonly idleRssMb: number | undefined;
  readonly peakRssMb: number | undefined;
  /** The round whose figure is the median. */
  readonly perThousandInFlightMb: number | undefined;
  /** Every round's figure. */
  readonly roundsPerThousandMb?: readonly (number | undefined)[];
  readonly row: Row;
}

/** CPU per answered request over rounds of a fixed number of requests. */
export interface CpuRounds {
  /** What was measured, and how. */
  readonly label: string;
  readonly method: string;
  readonly connections: number;
  readonly requestsPerRound: number;
  readonly warmupRequests: number;
  /** ms of CPU per answered request, one per round. */
  readonly rounds: readonly number[];
  readonly min: number;
  readonly median: number;
  /** Upstream calls per answered request over all rounds (gateway runs only). */
  readonly upstreamCallsPerQuery?: number | undefined;
}

export interface TargetCheck {
  readonly description: string;
  /** The figure, formatted with its unit; undefined when not measured. */
  readonly figure: string | undefined;
  readonly met: boolean | undefined;
  readonly note?: string;
}

export interface Machine {
  readonly cpuModel: string;
  readonly cores: number;
  readonly node: string;
  readonly os: string;
  readonly memoryGb: number;
  readonly loadAverageStart: readonly number[];
  readonly loadAverageEnd: readonly number[];
}

export interface BenchResults {
  readonly schema: 2;
  readonly startedAt: string;
  readonly elapsedSeconds: number;
  readonly mode: 'full' | 'quick';
  readonly settings: Readonly<Record<string, unknown>>;
  readonly machine: Machine;
  /** What was measured: the commit, and how many files under src/ differed from it. */
  readonly source: { readonly commit: string; readonly uncommittedSrcFiles: number | undefined };
  readonly loadGenerator: string;
  readonly rows: readonly Row[];
  /** The gateway's CPU per merged page: the run's headline figure. */
  readonly cpu: CpuRounds | undefined;
  /** The same page served from memory (no upstream client), same rounds. */
  readonly memoryCpu: CpuRounds | undefined;
  /** CPU per page over whole walks (pages after the first included). */
  readonly walkCpu?: CpuRounds | undefined;
  /** A separate run of the gateway alone, measured another way: the check of `cpu`. */
  readonly alone: CpuRounds | undefined;
  readonly coldStart: ColdStart | undefined;
  readonly memory: Memory | undefined;
  readonly targets: readonly TargetCheck[];
  readonly notes: readonly string[];
}

const TARGET_LABEL: Record<Target, string> = {
  gateway: 'gateway',
  'gateway-distinct': 'gateway, ten different pages in turn',
  memory: 'gateway from memory (no upstream client)',
  bare: 'bare node:http, same bytes',
  'iot-direct': 'IoT simulator direct',
  'import-export-direct': 'Import/Export simulator direct',
};

/** Milliseconds with the precision they deserve: 2 decimals below 10, 1 below 100, none above. */
export function ms(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) < 10) return value.toFixed(2);
  if (Math.abs(value) < 100) return value.toFixed(1);
  return value.toFixed(0);
}

function signedMs(value: number): string {
  return `${value >= 0 ? '+' : '−'}${ms(Math.abs(value))} ms`;
}

function num(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);
}

function correctnessCell(c: Correctness, graphql: boolean): string {
  const problems: string[] = [];
  if (c.non2xx > 0) problems.push(`${c.non2xx} non-2xx`);
  if (c.connectionErrors > 0) problems.push(`${c.connectionErrors} conn errors`);
  if (c.timeouts > 0) problems.push(`${c.timeouts} timeouts`);
  if (graphql && c.graphqlErrors > 0) problems.push(`${c.graphqlErrors} with errors[]`);
  if (c.wrong > 0) problems.push(`${c.wrong}/${c.checked} wrong`);
  if (problems.length > 0) return problems.join(', ');
  return `ok (${c.checked} checked)`;
}

function ratioCell(row: Row, memory: Memory | undefined): string {
  if (memory && row === memory.row) {
    const rounds = memory.roundsPerThousandMb;
    return (
      `idle ${num(memory.idleRssMb, 0)} MB → peak ${num(memory.peakRssMb, 0)} MB: **${num(memory.perThousandInFlightMb, 0)} MB per 1000 in flight**` +
      (rounds && rounds.length > 1
        ? ` (median; rounds ${rounds.map((r) => num(r, 0)).join(', ')})`
        : '')
    );
  }
  const parts: string[] = [];
  if (row.rpsVsBare !== undefined) parts.push(`**${row.rpsVsBare.toFixed(3)}× bare**`);
  if (row.rpsVsMemory !== undefined) parts.push(`**${row.rpsVsMemory.toFixed(2)}× from memory**`);
  if (row.addedLatencyMs) {
    parts.push(
      `p50 ${signedMs(row.addedLatencyMs.p50)}, p99 ${signedMs(row.addedLatencyMs.p99)} over upstream`,
    );
  }
  if (row.target === 'bare') parts.push('ceiling');
  if (row.target === 'memory') parts.push('yoga baseline');
  if (row.target.endsWith('-direct')) parts.push('upstream baseline');
  return parts.join('; ');
}

function cpuLine(cpu: CpuRounds): string {
  return (
    `${cpu.label}: **min ${cpu.min.toFixed(3)} ms, median ${cpu.median.toFixed(3)} ms** per request ` +
    `(rounds: ${cpu.rounds.map((r) => r.toFixed(3)).join(', ')}; ${cpu.rounds.length} rounds of ` +
    `${cpu.requestsPerRound} requests at c=${cpu.connections} after ${cpu.warmupRequests} of warm-up` +
    (cpu.upstreamCallsPerQuery !== undefined
      ? `; ${cpu.upstreamCallsPerQuery.toFixed(2)} upstream calls per page`
      : '') +
    `). ${cpu.method}`
  );
}

export function renderMarkdown(results: BenchResults): string {
  const lines: string[] = [];
  const m = results.machine;
  lines.push(`## jobs-gateway benchmark (${results.mode} mode)`);
  lines.push('');
  lines.push(
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb.toFixed(1)} GB, ${m.os}, Node ${m.node}. ` +
      `Load average ${m.loadAverageStart.map((v) => v.toFixed(2)).join(' / ')} at start, ` +
      `${m.loadAverageEnd.map((v) => v.toFixed(2)).join(' / ')} at end.`,
  );
  const dirty = results.source.uncommittedSrcFiles;
  lines.push(
    `Run ${results.startedAt}, ${results.elapsedSeconds.toFixed(0)} s, on ${results.source.commit}` +
      (dirty ? ` with ${dirty} uncommitted file(s) under src/` : '') +
      `. Load: ${results.loadGenerator}.`,
  );
  lines.push('');
  if (results.cpu || results.alone || results.memoryCpu) {
    lines.push('### CPU per merged page');
    lines.push('');
    for (const cpu of [results.cpu, results.alone, results.memoryCpu, results.walkCpu]) {
      if (cpu) lines.push(`- ${cpuLine(cpu)}`);
    }
    lines.push('');
  }
  lines.push(
    '| scenario | target | c | rps | p50 ms | p99 ms | max ms | upstream calls/query | CPU ms/req | peak RSS MB | event-loop p99 ms | ratios | correctness |',
  );
  lines.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|');
  for (const row of results.rows) {
    const graphql =
      row.target === 'gateway' || row.target === 'gateway-distinct' || row.target === 'memory';
    lines.push(
      `| ${[
        row.title,
        TARGET_LABEL[row.target],
        String(row.connections),
        row.rps.toFixed(0),
        ms(row.latencyMs.p50),
        ms(row.latencyMs.p99),
        ms(row.latencyMs.max),
        num(row.upstreamCallsPerQuery, 2),
        num(row.cpuMsPerRequest, 3),
        num(row.peakRssMb, 0),
        row.eventLoop ? ms(row.eventLoop.p99Ms) : 'n/a',
        ratioCell(row, results.memory),
        correctnessCell(row.correctness, graphql),
      ].join(' | ')} |`,
    );
  }
  const cold = results.coldStart;
  if (cold) {
    lines.push(
      `| 9. cold start: spawn → first good merged page | gateway | 1 | | | | | | | | | **median ${ms(cold.medianFirstAnswerMs)} ms** (ready line ${ms(cold.medianReadyMs)} ms); runs: ${cold.runs.map((r) => ms(r.firstAnswerMs)).join(', ')} ms | |`,
    );
  }
  lines.push('');
  lines.push('### Targets');
  lines.push('');
  for (const t of results.targets) {
    const verdict = t.met === undefined ? 'not measured' : t.met ? 'met' : 'NOT MET';
    lines.push(
      `- ${t.description}: ${t.figure ?? 'n/a'} — **${verdict}**${t.note ? ` (${t.note})` : ''}`,
    );
  }
  if (results.notes.length > 0) {
    lines.push('');
    lines.push('### Notes');
    lines.push('');
    for (const note of results.notes) lines.push(`- ${note}`);
  }
  const failures = results.rows.filter((row) => row.correctness.firstFailure !== undefined);
  if (failures.length > 0) {
    lines.push('');
    lines.push('### First wrong answer per row');
    lines.push('');
    for (const row of failures) {
      lines.push(
        `- ${row.title} (${TARGET_LABEL[row.target]}, c=${row.connections}): ${row.correctness.firstFailure}`,
      );
    }
  }
  return lines.join('\n');
}
