import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SIMULATOR_ACCESS_KEY_ID, SIMULATOR_SECRET_ACCESS_KEY } from '../../src/config.js';
import { type Simulators, startSimulators } from '../../src/simulators/index.js';
import {
  type BareServerProcess,
  BUNDLED_MAIN,
  type GatewayProcess,
  REPO_ROOT,
  startBareServer,
  startGatewayProcess,
} from './children.js';
import { type LoadRequest, type LoadResult, runLoad } from './load.js';
import { type BenchOptions, parseOptions, USAGE, UsageError } from './options.js';
import { RssPoller, readCpuMs, readMemory, resetPeakRss } from './proc-stats.js';
import { replicasScenario } from './replicas.js';
import {
  type BenchResults,
  type ColdStart,
  type Machine,
  type Memory,
  type Row,
  renderMarkdown,
  type Target,
  type TargetCheck,
} from './report.js';
import {
  bodyCheck,
  documents,
  type GraphQLDocument,
  MEMORY_LATENCY,
  requestBody,
  type ThroughputScenario,
  throughputScenarios,
  type UpstreamLatency,
} from './scenarios.js';
import { signedImportExportListJobs, signedIotListJobs } from './upstream-requests.js';

/**
 * `npm run bench`: the gateway as a separate process against the simulators running here, a bare
 * node:http process replaying the gateway's own bytes as the ceiling, and the simulators measured
 * directly as the latency floor, all in one run so that the targets can be ratios. Exits 0 whatever
 * the figures; only a broken harness exits non-zero.
 */

const MB = 1024 * 1024;
/** The page size the gateway asks each upstream for a `first: 20` page. */
const UPSTREAM_PAGE_SIZE = 21;
const GRAPHQL_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

const benchStarted = performance.now();

/** Progress goes to stderr, with the run's clock, so that stdout holds only the report. */
function progress(message: string): void {
  const clock = `[${((performance.now() - benchStarted) / 1000).toFixed(1).padStart(5)} s]`;
  process.stderr.write(
    message.startsWith('\n') ? `\n${clock} ${message.slice(1)}\n` : `${clock} ${message}\n`,
  );
}

interface Context {
  readonly options: BenchOptions;
  readonly simulators: Simulators;
  readonly notes: string[];
  /** Absolute; set when the gateways under load should write CPU profiles. */
  readonly cpuProfileDir: string | undefined;
}

function setLatency(simulators: Simulators, latency: UpstreamLatency): void {
  simulators.iot?.faults.set({ latencyMs: latency.iotMs });
  simulators.importExport?.faults.set({ latencyMs: latency.importExportMs });
}

function resetCounters(simulators: Simulators): void {
  simulators.iot?.counters.reset();
  simulators.importExport?.counters.reset();
}

function graphqlRequest(url: string, document: GraphQLDocument): LoadRequest {
  return { url, method: 'POST', headers: GRAPHQL_HEADERS, body: requestBody(document) };
}

interface Captured {
  readonly body: Buffer;
  readonly text: string;
  readonly contentType: string;
  /** Why the answer is wrong, or undefined. */
  readonly problem: string | undefined;
}

/** One answer from the gateway: the reference bytes of a scenario. */
async function capture(url: string, document: GraphQLDocument): Promise<Captured> {
  const response = await fetch(url, {
    method: 'POST',
    headers: GRAPHQL_HEADERS,
    body: requestBody(document),
  });
  const body = Buffer.from(await response.arrayBuffer());
  const text = body.toString('utf8');
  let problem: string | undefined;
  if (response.status !== 200) problem = `HTTP ${response.status}`;
  else if (text.includes('"errors":')) problem = `errors in answer: ${text.slice(0, 300)}`;
  else {
    try {
      problem = document.verify(JSON.parse(text));
    } catch {
      problem = 'not JSON';
    }
  }
  return {
    body,
    text,
    contentType: response.headers.get('content-type') ?? 'application/json',
    problem,
  };
}

/** Polls until the gateway answers a merged page correctly; the time it took is the cold start. */
async function firstGoodAnswer(url: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer';
  while (performance.now() < deadline) {
    try {
      const answer = await capture(url, documents.mergedPage);
      if (answer.problem === undefined) return;
      last = answer.problem;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(5);
  }
  throw new Error(`the gateway gave no correct merged page within ${timeoutMs} ms: ${last}`);
}

interface Measured {
  readonly pid: number;
  /** The gateway, when the measured process is one: its loop probe and metrics endpoint. */
  readonly gateway?: GatewayProcess;
  readonly metricsUrl?: string | undefined;
}

/**
 * The event-loop delay p99 from the gateway's own /metrics: prom-client's
 * `nodejs_eventloop_lag_p99_seconds`, or failing that any gauge whose name says event loop and
 * p99 (Prometheus names carry their unit; seconds where none is given). prom-client resets the
 * histogram behind it on every scrape, so a scrape before a window and one after cover the window.
 * The histogram records whole timer intervals, so every sample carries the monitor's resolution
 * (10 ms): the minimum of the same histogram, which is that interval plus nothing, is subtracted,
 * as the probe subtracts its own resolution, and the raw figure is kept too.
 */
async function scrapeLoop(
  metricsUrl: string,
): Promise<{ readonly p99Ms: number; readonly rawP99Ms: number } | undefined> {
  try {
    const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(2000) });
    if (response.status !== 200) return undefined;
    const text = await response.text();
    const gauge = (pattern: RegExp) => {
      const match = pattern.exec(text);
      const value = match ? Number(match[2]) : Number.NaN;
      if (!match || !Number.isFinite(value)) return undefined;
      return /(_ms|_milliseconds)$/.test(match[1] as string) ? value : value * 1000;
    };
    const p99 =
      gauge(/^(nodejs_eventloop_lag_p99_seconds)(?:\{[^}]*\})?\s+(\S+)/m) ??
      gauge(/^(\w*event_?loop\w*p99\w*)(?:\{[^}]*\})?\s+(\S+)/im);
    if (p99 === undefined) return undefined;
    const min = gauge(/^(nodejs_eventloop_lag_min_seconds)(?:\{[^}]*\})?\s+(\S+)/m);
    return { p99Ms: min !== undefined ? Math.max(0, p99 - min) : p99, rawP99Ms: p99 };
  } catch {
    return undefined;
  }
}

/**
 * A gateway to measure under load, with a way to read its event-loop delay: its own /metrics when
 * it has the gauge, else (unless disabled) a restart with the loop probe preloaded, else none.
 */
async function startMeasuredGateway(
  ctx: Context,
): Promise<{ gateway: GatewayProcess; metricsUrl: string | undefined; loopSource: string }> {
  const start = (loopProbe: boolean) =>
    startGatewayProcess({
      entry: ctx.options.entry,
      iotEndpoint: ctx.simulators.iot?.url as string,
      importExportEndpoint: ctx.simulators.importExport?.url as string,
      loopProbe,
      cpuProfileDir: ctx.cpuProfileDir,
    });
  let gateway = await start(false);
  await firstGoodAnswer(gateway.url, 30_000);
  const metricsUrl = new URL('/metrics', gateway.url).href;
  if ((await scrapeLoop(metricsUrl)) !== undefined) {
    return { gateway, metricsUrl, loopSource: '/metrics' };
  }
  if (!ctx.options.loopProbe) return { gateway, metricsUrl: undefined, loopSource: 'none' };
  await gateway.stop();
  gateway = await start(true);
  await firstGoodAnswer(gateway.url, 30_000);
  return { gateway, metricsUrl: undefined, loopSource: 'probe' };
}

function loopSourceNote(source: string): string {
  if (source === '/metrics') {
    return 'Event-loop delay p99 read from the gateway’s own /metrics (nodejs_eventloop_lag_p99_seconds minus the same histogram’s minimum, i.e. its 10 ms sampling interval; the raw gauge is in the JSON).';
  }
  if (source === 'probe') {
    return 'Event-loop delay: the gateway has no event-loop gauge at /metrics, so a monitor (perf_hooks.monitorEventLoopDelay, 10 ms resolution, subtracted) was preloaded into its process with --import test/bench/loop-probe.ts; src/ is unchanged.';
  }
  return 'Event-loop delay not measured: no gauge at /metrics and the probe is disabled.';
}

interface Window {
  readonly result: LoadResult;
  readonly cpuMsPerRequest: number | undefined;
  readonly cpuPercent: number | undefined;
  readonly peakRssMb: number | undefined;
  readonly eventLoop: Row['eventLoop'];
  readonly upstream: Pick<Row, 'upstreamCallsPerQuery' | 'upstreamCalls'>;
}

/**
 * Waits until the measured process is idle: no upstream call in flight, none started and almost no
 * CPU used for a few polls in a row. A warm-up (or a window cut off by time) leaves requests queued
 * in a busy gateway, which would otherwise call upstreams and burn CPU inside the next window.
 */
async function settle(simulators: Simulators, pid: number | undefined, maxMs = 10_000) {
  const deadline = performance.now() + maxMs;
  const state = () => {
    const iot = simulators.iot?.counters.snapshot();
    const ie = simulators.importExport?.counters.snapshot();
    return {
      total: (iot?.total ?? 0) + (ie?.total ?? 0),
      inFlight: (iot?.inFlight ?? 0) + (ie?.inFlight ?? 0),
      cpuMs: pid !== undefined ? readCpuMs(pid) : undefined,
    };
  };
  let last = state();
  let quiet = 0;
  while (performance.now() < deadline && quiet < 3) {
    await sleep(100);
    const now = state();
    const cpuMs = now.cpuMs !== undefined && last.cpuMs !== undefined ? now.cpuMs - last.cpuMs : 0;
    // 20 ms of CPU in a 100 ms poll: the process is still working through a backlog.
    quiet = now.inFlight === 0 && now.total === last.total && cpuMs < 20 ? quiet + 1 : 0;
    last = now;
  }
}

/**
 * One measured window: warm-up first (not counted), then the load, with the measured process's
 * CPU, peak RSS and loop delay, and the simulators' counters, taken over the window only. The
 * window is a fixed number of requests sized from the warm-up's rate, or `amount` when given.
 */
async function measureWindow(
  ctx: Context,
  request: LoadRequest,
  connections: number,
  seconds: number,
  warmupSeconds: number,
  measured: Measured,
  check: (body: string) => string | undefined,
  graphql: boolean,
  amount?: number,
): Promise<Window> {
  let expectedRps: number | undefined;
  if (warmupSeconds > 0) {
    const warmup = await runLoad(request, { connections, seconds: warmupSeconds });
    expectedRps = warmup.rps;
    await settle(ctx.simulators, measured.pid);
  }
  const { pid, gateway, metricsUrl } = measured;
  resetCounters(ctx.simulators);
  if (metricsUrl) await scrapeLoop(metricsUrl);
  else await gateway?.resetLoop();
  resetPeakRss(pid);
  const poller = new RssPoller(pid);
  const cpuBefore = readCpuMs(pid);
  const started = performance.now();

  const result = await runLoad(request, {
    connections,
    seconds,
    graphql,
    check,
    ...(amount !== undefined ? { amount } : {}),
    ...(expectedRps !== undefined ? { expectedRps } : {}),
  });

  const wallMs = performance.now() - started;
  const cpuAfter = readCpuMs(pid);
  const peak = poller.stop();
  let eventLoop: Row['eventLoop'];
  if (metricsUrl) {
    const loop = await scrapeLoop(metricsUrl);
    if (loop !== undefined) {
      eventLoop = { p99Ms: loop.p99Ms, rawP99Ms: loop.rawP99Ms, source: '/metrics' };
    }
  } else if (gateway) {
    const loop = await gateway.readLoop();
    if (loop && loop.samples > 0) {
      eventLoop = { p99Ms: loop.p99, maxMs: loop.max, source: 'probe' };
    }
  }
  const iot = ctx.simulators.iot?.counters.snapshot();
  const importExport = ctx.simulators.importExport?.counters.snapshot();
  const cpuMs =
    cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
  await settle(ctx.simulators, pid);
  return {
    result,
    cpuMsPerRequest:
      cpuMs !== undefined && result.responses > 0 ? cpuMs / result.responses : undefined,
    cpuPercent: cpuMs !== undefined ? (cpuMs / wallMs) * 100 : undefined,
    peakRssMb: peak !== undefined ? peak / MB : undefined,
    eventLoop,
    upstream: gateway
      ? {
          upstreamCallsPerQuery:
            result.responses > 0
              ? ((iot?.total ?? 0) + (importExport?.total ?? 0)) / result.responses
              : undefined,
          upstreamCalls: {
            iot: iot?.byOperation ?? {},
            importExport: importExport?.byOperation ?? {},
            iotMaxInFlight: iot?.maxInFlight ?? 0,
            importExportMaxInFlight: importExport?.maxInFlight ?? 0,
          },
        }
      : { upstreamCallsPerQuery: undefined, upstreamCalls: undefined },
  };
}

function toRow(
  scenario: { id: string; title: string },
  target: Target,
  window: Window,
  extra: Partial<Pick<Row, 'rpsVsBare' | 'addedLatencyMs'>> = {},
): Row {
  const r = window.result;
  return {
    scenario: scenario.id,
    title: scenario.title,
    target,
    connections: r.connections,
    seconds: r.seconds,
    rps: r.rps,
    latencyMs: r.latency,
    ...window.upstream,
    cpuMsPerRequest: window.cpuMsPerRequest,
    cpuPercent: window.cpuPercent,
    peakRssMb: window.peakRssMb,
    eventLoop: window.eventLoop,
    generatorCpuPercent: r.generatorCpuPercent,
    correctness: {
      responses: r.responses,
      non2xx: r.non2xx,
      connectionErrors: r.connectionErrors,
      timeouts: r.timeouts,
      graphqlErrors: r.graphqlErrors,
      sampled: r.sampled,
      sampleFailures: r.sampleFailures,
      firstFailure: r.firstFailure,
    },
    ...extra,
  };
}

function describeRow(row: Row): string {
  return (
    `  ${row.target.padEnd(20)} c=${String(row.connections).padEnd(4)} ` +
    `${row.rps.toFixed(0).padStart(6)} rps  p50 ${row.latencyMs.p50.toFixed(2)} ms  ` +
    `p99 ${row.latencyMs.p99.toFixed(2)} ms` +
    (row.cpuMsPerRequest !== undefined ? `  cpu ${row.cpuMsPerRequest.toFixed(3)} ms/req` : '') +
    (row.upstreamCallsPerQuery !== undefined
      ? `  upstream ${row.upstreamCallsPerQuery.toFixed(2)}/query`
      : '')
  );
}

type DirectKey = `${'iot' | 'import-export'}@${number}`;

/** The simulators measured directly, once per upstream and latency, at c=10. */
async function upstreamBaseline(
  ctx: Context,
  cache: Map<DirectKey, Row>,
  upstream: 'iot' | 'import-export',
  latencyMs: number,
  scenario: ThroughputScenario,
): Promise<Row> {
  const key: DirectKey = `${upstream}@${latencyMs}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const simulator = upstream === 'iot' ? ctx.simulators.iot : ctx.simulators.importExport;
  if (!simulator) throw new Error(`the ${upstream} simulator is not running`);
  const request =
    upstream === 'iot'
      ? signedIotListJobs(simulator.url, UPSTREAM_PAGE_SIZE)
      : signedImportExportListJobs(simulator.url, UPSTREAM_PAGE_SIZE);
  const check =
    upstream === 'iot'
      ? (body: string) => (body.startsWith('{"jobs":[') ? undefined : body.slice(0, 200))
      : (body: string) => (body.includes('<ListJobsResult>') ? undefined : body.slice(0, 200));
  const authBefore = simulator.counters.snapshot().authFailures;
  const window = await measureWindow(
    ctx,
    request,
    10,
    ctx.options.directSeconds,
    Math.min(ctx.options.warmupSeconds, 1),
    { pid: process.pid },
    check,
    false,
  );
  if (simulator.counters.snapshot().authFailures > authBefore) {
    throw new Error(`the ${upstream} simulator refused the benchmark's signed requests`);
  }
  const row = toRow(
    { id: scenario.id, title: `${scenario.title}: ${upstream} at ${latencyMs} ms` },
    upstream === 'iot' ? 'iot-direct' : 'import-export-direct',
    // The simulators share this process with the load generator: its CPU and RSS say nothing.
    { ...window, cpuMsPerRequest: undefined, cpuPercent: undefined, peakRssMb: undefined },
  );
  cache.set(key, row);
  return row;
}

async function throughputScenario(
  ctx: Context,
  scenario: ThroughputScenario,
  gateway: GatewayProcess,
  bare: BareServerProcess,
  metricsUrl: string | undefined,
  baselines: Map<DirectKey, Row>,
): Promise<Row[]> {
  const { options } = ctx;
  progress(`\n${scenario.title}`);
  setLatency(ctx.simulators, scenario.latency);
  const reference = await capture(gateway.url, scenario.document);
  if (reference.problem !== undefined) {
    ctx.notes.push(`${scenario.title}: the reference answer is wrong (${reference.problem}).`);
  }
  await bare.serve(reference.body, reference.contentType);
  const check = bodyCheck(scenario.document, reference.text);

  const bareRows = new Map<number, Row>();
  for (const connections of scenario.bareConnections) {
    const window = await measureWindow(
      ctx,
      graphqlRequest(bare.url, scenario.document),
      connections,
      options.durationSeconds,
      options.warmupSeconds,
      { pid: bare.pid },
      check,
      true,
    );
    const row = toRow(scenario, 'bare', window);
    bareRows.set(connections, row);
    progress(describeRow(row));
  }

  let floor: { p50: number; p99: number } | undefined;
  const baselineRows: Row[] = [];
  if (scenario.upstreamBaseline) {
    const iot = await upstreamBaseline(ctx, baselines, 'iot', scenario.latency.iotMs, scenario);
    const ie = await upstreamBaseline(
      ctx,
      baselines,
      'import-export',
      scenario.latency.importExportMs,
      scenario,
    );
    baselineRows.push(iot, ie);
    for (const row of baselineRows) progress(describeRow(row));
    // Both calls run at once, so the page cannot come sooner than the slower upstream.
    floor = {
      p50: Math.max(iot.latencyMs.p50, ie.latencyMs.p50),
      p99: Math.max(iot.latencyMs.p99, ie.latencyMs.p99),
    };
  }

  const gatewayRows: Row[] = [];
  for (const connections of scenario.gatewayConnections) {
    const window = await measureWindow(
      ctx,
      graphqlRequest(gateway.url, scenario.document),
      connections,
      options.durationSeconds,
      options.warmupSeconds,
      { pid: gateway.pid, gateway, metricsUrl },
      check,
      true,
    );
    const bareRow = bareRows.get(connections);
    const row = toRow(scenario, 'gateway', window, {
      ...(bareRow ? { rpsVsBare: window.result.rps / bareRow.rps } : {}),
      ...(floor && connections === 10
        ? {
            addedLatencyMs: {
              p50: window.result.latency.p50 - floor.p50,
              p99: window.result.latency.p99 - floor.p99,
            },
          }
        : {}),
    });
    gatewayRows.push(row);
    progress(describeRow(row));
  }
  return [...gatewayRows, ...bareRows.values(), ...baselineRows];
}

async function memoryScenario(ctx: Context): Promise<Memory> {
  const { options } = ctx;
  const title = `7. memory: upstreams ${MEMORY_LATENCY.iotMs} ms, c=${options.memoryConnections}`;
  progress(`\n${title}`);
  setLatency(ctx.simulators, MEMORY_LATENCY);
  // A fresh process, so that idle and peak describe this scenario and nothing before it.
  const { gateway, metricsUrl } = await startMeasuredGateway(ctx);
  try {
    const reference = await capture(gateway.url, documents.mergedPage);
    const request = graphqlRequest(gateway.url, documents.mergedPage);
    // Warm at modest concurrency: JIT and lazy initialisation done, memory not yet inflated.
    await runLoad(request, { connections: 50, seconds: Math.max(options.warmupSeconds, 0.5) });
    await settle(ctx.simulators, gateway.pid);
    // Let the warm-up's garbage go before reading the idle size.
    await sleep(options.mode === 'quick' ? 300 : 1000);
    const idle = readMemory(gateway.pid)?.rss;
    const window = await measureWindow(
      ctx,
      request,
      options.memoryConnections,
      options.durationSeconds,
      0,
      { pid: gateway.pid, gateway, metricsUrl },
      bodyCheck(documents.mergedPage, reference.text),
      true,
      // One answer per connection: every request has been inside the gateway, and a gateway that
      // cannot keep up still ends the window (the watchdog cuts it at 3× its length).
      options.memoryConnections,
    );
    const row = toRow({ id: 'memory', title }, 'gateway', window);
    progress(describeRow(row));
    const peak = window.peakRssMb !== undefined ? window.peakRssMb * MB : undefined;
    return {
      connections: options.memoryConnections,
      idleRssMb: idle !== undefined ? idle / MB : undefined,
      peakRssMb: window.peakRssMb,
      perThousandInFlightMb:
        idle !== undefined && peak !== undefined
          ? ((peak - idle) / MB / options.memoryConnections) * 1000
          : undefined,
      row,
    };
  } finally {
    await gateway.stop();
  }
}

async function coldStarts(ctx: Context): Promise<ColdStart> {
  progress('\n6. cold start');
  setLatency(ctx.simulators, { iotMs: 0, importExportMs: 0 });
  const runs: { readyMs: number; firstAnswerMs: number }[] = [];
  for (let i = 0; i < ctx.options.coldStarts; i++) {
    // Never the probe here: the process is src/main.ts under tsx and nothing else.
    const gateway = await startGatewayProcess({
      entry: ctx.options.entry,
      iotEndpoint: ctx.simulators.iot?.url as string,
      importExportEndpoint: ctx.simulators.importExport?.url as string,
      loopProbe: false,
    });
    try {
      await firstGoodAnswer(gateway.url, 30_000);
      const firstAnswerMs = performance.now() - gateway.spawnedAt;
      runs.push({ readyMs: gateway.readyAfterMs, firstAnswerMs });
      progress(
        `  run ${i + 1}: ready line ${gateway.readyAfterMs.toFixed(0)} ms, first good answer ${firstAnswerMs.toFixed(0)} ms`,
      );
    } finally {
      await gateway.stop();
    }
  }
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  };
  return {
    runs,
    medianFirstAnswerMs: median(runs.map((r) => r.firstAnswerMs)),
    medianReadyMs: median(runs.map((r) => r.readyMs)),
  };
}

function find(rows: readonly Row[], scenario: string, target: Target, c: number): Row | undefined {
  return rows.find((r) => r.scenario === scenario && r.target === target && r.connections === c);
}

function check(
  id: string,
  description: string,
  value: number | undefined,
  format: (v: number) => string,
  pass: (v: number) => boolean,
  note?: string,
): TargetCheck {
  if (value === undefined || !Number.isFinite(value)) {
    return { id, description, figure: undefined, met: undefined, ...(note ? { note } : {}) };
  }
  return { id, description, figure: format(value), met: pass(value), ...(note ? { note } : {}) };
}

function evaluateTargets(
  rows: readonly Row[],
  cold: ColdStart | undefined,
  memory: Memory | undefined,
): TargetCheck[] {
  const merged50 = find(rows, 'merged-0ms', 'gateway', 50);
  const latency10 = find(rows, 'merged-20ms', 'gateway', 10);
  const latency50 = find(rows, 'merged-20ms', 'gateway', 50);
  const skewed10 = find(rows, 'merged-20-40ms', 'gateway', 10);
  const ratio = merged50?.rpsVsBare;
  const calls = merged50?.upstreamCallsPerQuery;
  return [
    {
      id: 'T1',
      description: 'gateway rps ÷ yoga serving the same page from memory',
      figure: undefined,
      met: undefined,
      note: 'needs an in-memory yoga baseline, which this benchmark does not build',
    },
    check(
      'T2',
      'gateway rps ≥ 0.10 × bare node:http (same bytes), merged page, upstreams 0 ms, c=50',
      ratio,
      (v) => `${v.toFixed(3)}×`,
      (v) => v >= 0.1,
      ratio !== undefined
        ? `§5 must-level ≥ 0.05: ${ratio >= 0.05 ? 'met' : 'not met'}`
        : undefined,
    ),
    check(
      'T3',
      'added latency p50 ≤ 3 ms, upstreams 20 ms, c=10',
      latency10?.addedLatencyMs?.p50,
      (v) => `${v.toFixed(2)} ms`,
      (v) => v <= 3,
      '§5 must-level ≤ 5 ms',
    ),
    check(
      'T3',
      'added latency p99 ≤ 12 ms, upstreams 20 ms, c=10',
      latency10?.addedLatencyMs?.p99,
      (v) => `${v.toFixed(2)} ms`,
      (v) => v <= 12,
      '§5 must-level ≤ 20 ms',
    ),
    check(
      'T3',
      'p50 ≤ 45 ms with IoT at 20 ms and Import/Export at 40 ms, c=10 (the calls run in parallel)',
      skewed10?.latencyMs.p50,
      (v) => `${v.toFixed(2)} ms`,
      (v) => v <= 45,
    ),
    check(
      'T4',
      'CPU ≤ 0.8 ms per merged page (upstreams 0 ms, c=50, /proc utime+stime)',
      merged50?.cpuMsPerRequest,
      (v) => `${v.toFixed(3)} ms`,
      (v) => v <= 0.8,
      '§5 must-level ≤ 1.5 ms',
    ),
    check(
      'T5',
      'upstream calls per merged page = 2 (one per upstream)',
      calls,
      (v) => v.toFixed(3),
      // Windows are counted, not timed, so every call belongs to an answered query.
      (v) => v <= 2.0005,
    ),
    check(
      'T11',
      'RSS ≤ 100 MB per 1,000 requests in flight (upstreams 50 ms)',
      memory?.perThousandInFlightMb,
      (v) => `${v.toFixed(0)} MB at c=${memory?.connections}`,
      (v) => v <= 100,
      '§5 must-level ≤ 150 MB',
    ),
    check(
      'T12',
      'event-loop delay p99 ≤ 50 ms at c=50, upstreams 20 ms',
      latency50?.eventLoop?.p99Ms,
      (v) => `${v.toFixed(1)} ms (${latency50?.eventLoop?.source})`,
      (v) => v <= 50,
    ),
    check(
      'T12',
      'cold start ≤ 600 ms, spawn to first correct merged page (median)',
      cold?.medianFirstAnswerMs,
      (v) => `${v.toFixed(0)} ms`,
      (v) => v <= 600,
    ),
  ];
}

function describeMachine(loadStart: readonly number[]): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    memoryGb: os.totalmem() / 1024 ** 3,
    loadAverageStart: loadStart,
    loadAverageEnd: os.loadavg(),
  };
}

/** The code under test, so that a figure can be traced to it (others may be editing src/). */
function describeSource(): BenchResults['source'] {
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  try {
    const commit = git('rev-parse', '--short', 'HEAD').trim();
    const changed = git('status', '--porcelain', '--', 'src').split('\n').filter(Boolean).length;
    return { commit, uncommittedSrcFiles: changed };
  } catch {
    return { commit: 'unknown (not a git checkout)', uncommittedSrcFiles: undefined };
  }
}

/** The newest modification time of any file under a directory, in ms. */
async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? await newestMtime(path) : (await stat(path)).mtimeMs;
    if (time > newest) newest = time;
  }
  return newest;
}

/** The bundle must exist; a bundle older than the sources is measured, but said to be stale. */
async function checkBundle(notes: string[]): Promise<void> {
  let built: number;
  try {
    built = (await stat(BUNDLED_MAIN)).mtimeMs;
  } catch {
    throw new Error('--entry=dist: dist/main.js does not exist; run `npm run build` first');
  }
  if ((await newestMtime(join(REPO_ROOT, 'src'))) > built) {
    notes.push(
      'dist/main.js is older than some file under src/: the bundle measured is not the current source (run `npm run build`).',
    );
  }
}

function selected(options: BenchOptions, id: string): boolean {
  return options.only === undefined || options.only.has(id);
}

async function run(options: BenchOptions): Promise<BenchResults> {
  const startedAt = new Date();
  const t0 = performance.now();
  const loadStart = os.loadavg();
  const source = describeSource();
  const notes: string[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const onSignal = () => {
    progress('interrupted: stopping the processes started by the benchmark');
    Promise.allSettled(cleanups.reverse().map((f) => f())).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const rows: Row[] = [];
  let cold: ColdStart | undefined;
  let memory: Memory | undefined;
  try {
    progress(`jobs-gateway benchmark, ${options.mode} mode`);
    if (options.entry === 'dist') await checkBundle(notes);
    const simulators = await startSimulators({
      data: { seed: 42, iotJobs: options.iotJobs, importExportJobs: options.importExportJobs },
      credentials: {
        accessKeyId: SIMULATOR_ACCESS_KEY_ID,
        secretAccessKey: SIMULATOR_SECRET_ACCESS_KEY,
      },
      host: '127.0.0.1',
    });
    cleanups.push(() => simulators.close());
    const cpuProfileDir = options.cpuProfileDir
      ? resolve(REPO_ROOT, options.cpuProfileDir)
      : undefined;
    if (cpuProfileDir) {
      await mkdir(cpuProfileDir, { recursive: true });
      notes.push(
        `The gateways under load ran with --cpu-prof: their V8 profiles are in ${cpuProfileDir} (profiling slows them down; these figures are not comparable).`,
      );
    }
    const ctx: Context = { options, simulators, notes, cpuProfileDir };

    const scenarios = throughputScenarios.filter((s) => selected(options, s.id));
    if (scenarios.length > 0) {
      const { gateway, metricsUrl, loopSource } = await startMeasuredGateway(ctx);
      cleanups.push(() => gateway.stop());
      notes.push(loopSourceNote(loopSource));
      const bare = await startBareServer();
      cleanups.push(() => bare.stop());
      const baselines = new Map<DirectKey, Row>();
      for (const scenario of scenarios) {
        const measured = await throughputScenario(
          ctx,
          scenario,
          gateway,
          bare,
          metricsUrl,
          baselines,
        );
        // An upstream baseline shared by two scenarios is listed once, under the first.
        rows.push(...measured.filter((row) => !rows.includes(row)));
      }
      await bare.stop();
      await gateway.stop();
    }
    if (selected(options, 'memory')) {
      memory = await memoryScenario(ctx);
      rows.push(memory.row);
    }
    if (selected(options, 'cold-start')) cold = await coldStarts(ctx);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const generatorBound = rows.filter((r) => r.target === 'bare' && r.generatorCpuPercent >= 90);
  if (generatorBound.length > 0) {
    notes.push(
      `The load generator used ${generatorBound.map((r) => `${r.generatorCpuPercent.toFixed(0)} %`).join(', ')} of a core during the bare-server windows: there it, not node:http, sets the ceiling, so "× bare" flatters the gateway.`,
    );
  }
  if (loadStart[0] !== undefined && loadStart[0] > 0.5 * os.availableParallelism()) {
    notes.push(
      `The machine was busy before the run started (1-minute load ${loadStart[0].toFixed(2)} on ${os.availableParallelism()} cores): absolute figures are low, and the ratios noisier than usual.`,
    );
  }
  notes.push(
    'The simulators and the load generator share the benchmark process; the gateway and the bare server are separate processes; all share the same cores.',
    'Upstream baseline = the slower of the two simulators measured directly (signed ListJobs, same page size) at c=10: the gateway calls both at once.',
    `Gateway environment: NODE_ENV=production, LOG_LEVEL=warn, started as \`${options.entry === 'src' ? 'node --import tsx src/main.ts' : 'node dist/main.js'}\`.`,
  );
  if (options.mode === 'quick') {
    notes.push(
      `Quick mode: ${options.durationSeconds} s windows after ${options.warmupSeconds} s of warm-up; the figures are indicative only.`,
    );
  }

  return {
    schema: 1,
    startedAt: startedAt.toISOString(),
    elapsedSeconds: (performance.now() - t0) / 1000,
    mode: options.mode,
    settings: {
      warmupSeconds: options.warmupSeconds,
      durationSeconds: options.durationSeconds,
      directSeconds: options.directSeconds,
      coldStarts: options.coldStarts,
      memoryConnections: options.memoryConnections,
      iotJobs: options.iotJobs,
      importExportJobs: options.importExportJobs,
      loopProbe: options.loopProbe,
      entry: options.entry,
      only: options.only ? [...options.only] : undefined,
    },
    machine: describeMachine(loadStart),
    source,
    loadGenerator: 'autocannon 9 (closed loop, keep-alive, in the benchmark process)',
    rows,
    coldStart: cold,
    memory,
    targets: evaluateTargets(rows, cold, memory),
    notes,
  };
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if ('render' in options) {
    const path = isAbsolute(options.render) ? options.render : resolve(REPO_ROOT, options.render);
    const results = JSON.parse(await readFile(path, 'utf8')) as BenchResults;
    if (results.schema !== 1) throw new Error(`${path}: not a results file of this benchmark`);
    process.stdout.write(`${renderMarkdown(results)}\n`);
    return 0;
  }
  const results = await run(options);
  process.stdout.write(`${renderMarkdown(results)}\n`);
  if (selected(options, 'replicas'))
    process.stdout.write(await replicasScenario(options, progress));
  const out = isAbsolute(options.out) ? options.out : resolve(REPO_ROOT, options.out);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  progress(`\nresults written to ${out}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`benchmark harness failed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
