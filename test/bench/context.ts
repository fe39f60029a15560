import { setTimeout as sleep } from 'node:timers/promises';
import { type GatewayProcess, startGatewayProcess } from './children.js';
import {
  type Expectation,
  type LoadGenerator,
  type LoadRequest,
  type LoadResult,
  runLoad,
} from './load.js';
import type { BenchOptions } from './options.js';
import { RssPoller, readCpuMs, resetPeakRss } from './proc-stats.js';
import type { Row, Target } from './report.js';
import { documents, type GraphQLDocument, requestBody } from './scenarios.js';
import type { SimulatorsProcess } from './simulators-process.js';

/**
 * What every scenario of the benchmark works with: the options, the simulators' process, the load
 * generator, and the steps every measurement shares (start a gateway, capture its reference
 * answer, warm up, settle, measure a window). A scenario defined in another file takes a
 * BenchContext and returns rows; run.ts lists the scenarios it runs.
 */
export interface BenchContext {
  readonly options: BenchOptions;
  readonly simulators: SimulatorsProcess;
  readonly generator: LoadGenerator;
  /** Notes for the report. */
  readonly notes: string[];
  /** Absolute; set when the gateways under load should write CPU profiles. */
  readonly cpuProfileDir: string | undefined;
  /** Progress on stderr (stdout holds only the report). */
  progress(message: string): void;
  /** Something to stop when the run ends or is interrupted. */
  onCleanup(cleanup: () => Promise<void>): void;
}

export interface BenchScenario {
  readonly id: string;
  run(ctx: BenchContext): Promise<readonly Row[]>;
}

export const GRAPHQL_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

export function graphqlRequest(url: string, document: GraphQLDocument): LoadRequest {
  return { url, method: 'POST', headers: GRAPHQL_HEADERS, body: requestBody(document) };
}

export interface Captured {
  readonly body: Buffer;
  readonly text: string;
  readonly contentType: string;
  /** Why the answer is wrong, or undefined. */
  readonly problem: string | undefined;
}

/** One answer of a server: the reference bytes every answer under load must equal. */
export async function capture(url: string, document: GraphQLDocument): Promise<Captured> {
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

/**
 * What every answer to `document` must be: the reference bytes, when two answers in a row are the
 * same; otherwise (a page that ends on an upstream token, which the upstream makes anew for every
 * call) an answer of the reference's length with its data.
 */
export async function expectationOf(
  url: string,
  document: GraphQLDocument,
  reference: Captured,
): Promise<Expectation> {
  const again = await capture(url, document);
  if (again.text === reference.text) return { body: reference.text };
  return { contains: '{"data":{', length: reference.body.length };
}

/** Polls until the gateway answers a merged page correctly; the time it took is the cold start. */
export async function firstGoodAnswer(url: string, timeoutMs: number): Promise<void> {
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

export async function load(
  ctx: BenchContext,
  request: LoadRequest,
  options: Parameters<typeof runLoad>[2],
): Promise<LoadResult> {
  return runLoad(ctx.generator, request, options);
}

/** A gateway process on the simulators, its CPU profile written where the options say. */
export async function startGateway(
  ctx: BenchContext,
  extra: { script?: string; env?: Record<string, string> } = {},
): Promise<GatewayProcess> {
  const gateway = await startGatewayProcess({
    entry: ctx.options.entry,
    script: extra.script,
    env: extra.env,
    iotEndpoint: ctx.simulators.iotUrl,
    importExportEndpoint: ctx.simulators.importExportUrl,
    cpuProfileDir: ctx.cpuProfileDir,
  });
  ctx.onCleanup(() => gateway.stop());
  await firstGoodAnswer(gateway.url, 30_000);
  return gateway;
}

/** The /metrics text of a gateway, or undefined. */
export async function scrapeMetrics(metricsUrl: string): Promise<string | undefined> {
  try {
    const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(2000) });
    return response.status === 200 ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}

/** The sum of every series of a metric in a /metrics text. */
export function metricSum(text: string, name: string): number | undefined {
  let sum = 0;
  let found = false;
  const pattern = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+(\\S+)`, 'gm');
  for (const match of text.matchAll(pattern)) {
    const value = Number(match[1]);
    if (Number.isFinite(value)) {
      sum += value;
      found = true;
    }
  }
  return found ? sum : undefined;
}

/**
 * The event-loop delay p99 from the gateway's own /metrics: prom-client's
 * `nodejs_eventloop_lag_p99_seconds`. prom-client resets the histogram behind it on every scrape,
 * so a scrape before a window and one after cover the window. The histogram records whole timer
 * intervals, so every sample carries the monitor's resolution (10 ms): the minimum of the same
 * histogram, which is that interval plus nothing, is subtracted, and the raw figure is kept too.
 */
export async function scrapeLoop(
  metricsUrl: string,
): Promise<{ readonly p99Ms: number; readonly rawP99Ms: number } | undefined> {
  const text = await scrapeMetrics(metricsUrl);
  if (text === undefined) return undefined;
  const p99 = metricSum(text, 'nodejs_eventloop_lag_p99_seconds');
  if (p99 === undefined) return undefined;
  const min = metricSum(text, 'nodejs_eventloop_lag_min_seconds');
  const p99Ms = p99 * 1000;
  return {
    p99Ms: min !== undefined ? Math.max(0, p99Ms - min * 1000) : p99Ms,
    rawP99Ms: p99Ms,
  };
}

/**
 * Waits until the measured process is idle: no upstream call in flight, none started and almost no
 * CPU used for a few polls in a row. A warm-up (or a window cut off by time) leaves requests queued
 * in a busy gateway, which would otherwise call upstreams and burn CPU inside the next window.
 */
export async function settle(ctx: BenchContext, pid: number | undefined, maxMs = 10_000) {
  const deadline = performance.now() + maxMs;
  const state = async () => {
    const { iot, importExport } = await ctx.simulators.counters();
    return {
      total: iot.total + importExport.total,
      inFlight: iot.inFlight + importExport.inFlight,
      cpuMs: pid !== undefined ? readCpuMs(pid) : undefined,
    };
  };
  let last = await state();
  let quiet = 0;
  while (performance.now() < deadline && quiet < 3) {
    await sleep(100);
    const now = await state();
    const cpuMs = now.cpuMs !== undefined && last.cpuMs !== undefined ? now.cpuMs - last.cpuMs : 0;
    // 20 ms of CPU in a 100 ms poll: the process is still working through a backlog.
    quiet = now.inFlight === 0 && now.total === last.total && cpuMs < 20 ? quiet + 1 : 0;
    last = now;
  }
}

export interface Measured {
  readonly pid: number;
  /** A gateway: its answers are counted from its log, its loop delay read from its /metrics. */
  readonly gateway?: GatewayProcess;
  readonly metricsUrl?: string | undefined;
}

export interface Window {
  readonly result: LoadResult;
  readonly cpuMsPerRequest: number | undefined;
  readonly cpuPercent: number | undefined;
  readonly peakRssMb: number | undefined;
  readonly eventLoop: Row['eventLoop'];
  readonly upstream: Pick<Row, 'upstreamCallsPerQuery' | 'upstreamCalls'>;
}

export interface WindowOptions {
  readonly connections: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly expect: Expectation;
  readonly graphql: boolean;
  /** A fixed number of requests; else the warm-up's rate times `seconds`. */
  readonly amount?: number;
}

const MB = 1024 * 1024;

/**
 * One measured window: warm-up first (not counted), then the load, with the measured process's
 * CPU, peak RSS and loop delay, and the simulators' counters, taken over the window only. The
 * window is a fixed number of requests sized from the warm-up's rate, or `amount` when given. CPU
 * and upstream calls are divided by the requests the gateway answered (its access lines), which
 * also counts any the generator abandoned at the window's end.
 */
export async function measureWindow(
  ctx: BenchContext,
  request: LoadRequest,
  measured: Measured,
  options: WindowOptions,
): Promise<Window> {
  let expectedRps: number | undefined;
  if (options.warmupSeconds > 0) {
    const warmup = await load(ctx, request, {
      connections: options.connections,
      seconds: options.warmupSeconds,
    });
    expectedRps = warmup.rps;
    await settle(ctx, measured.pid);
  }
  const { pid, gateway, metricsUrl } = measured;
  await ctx.simulators.resetCounters();
  if (metricsUrl) await scrapeLoop(metricsUrl);
  resetPeakRss(pid);
  const poller = new RssPoller(pid);
  const servedBefore = gateway?.served();
  const cpuBefore = readCpuMs(pid);
  const started = performance.now();

  const result = await load(ctx, request, {
    connections: options.connections,
    seconds: options.seconds,
    graphql: options.graphql,
    expect: options.expect,
    ...(options.amount !== undefined ? { amount: options.amount } : {}),
    ...(expectedRps !== undefined ? { expectedRps } : {}),
  });

  const wallMs = performance.now() - started;
  const peak = poller.stop();
  let eventLoop: Row['eventLoop'];
  if (metricsUrl) {
    const loop = await scrapeLoop(metricsUrl);
    if (loop !== undefined) {
      eventLoop = { p99Ms: loop.p99Ms, rawP99Ms: loop.rawP99Ms, source: '/metrics' };
    }
  }
  // Whatever the generator left in flight is finished (and counted) before the window closes.
  await settle(ctx, pid);
  const cpuAfter = readCpuMs(pid);
  const served =
    gateway && servedBefore !== undefined ? gateway.served() - servedBefore : result.responses;
  const { iot, importExport } = await ctx.simulators.counters();
  const cpuMs =
    cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
  return {
    result,
    cpuMsPerRequest: cpuMs !== undefined && served > 0 ? cpuMs / served : undefined,
    cpuPercent: cpuMs !== undefined ? (cpuMs / wallMs) * 100 : undefined,
    peakRssMb: peak !== undefined ? peak / MB : undefined,
    eventLoop,
    upstream: gateway
      ? {
          upstreamCallsPerQuery: served > 0 ? (iot.total + importExport.total) / served : undefined,
          upstreamCalls: {
            iot: iot.byOperation,
            importExport: importExport.byOperation,
            iotMaxInFlight: iot.maxInFlight,
            importExportMaxInFlight: importExport.maxInFlight,
          },
        }
      : { upstreamCallsPerQuery: undefined, upstreamCalls: undefined },
  };
}

export function toRow(
  scenario: { id: string; title: string },
  target: Target,
  window: Window,
  extra: Partial<Pick<Row, 'rpsVsBare' | 'rpsVsMemory' | 'addedLatencyMs'>> = {},
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
      checked: r.checked,
      wrong: r.wrong,
      firstFailure: r.firstFailure,
    },
    ...extra,
  };
}

export function describeRow(row: Row): string {
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
