import type { GatewayProcess } from './children.js';
import {
  type BenchContext,
  capture,
  graphqlRequest,
  metricSum,
  scrapeMetrics,
  settle,
} from './context.js';
import { runLoad } from './load.js';
import { readCpuMs } from './proc-stats.js';
import { summary } from './stats.js';
import type { CpuRounds } from './report.js';
import { documents } from './scenarios.js';

/**
 * The CPU a merged `jobs(first: 20)` page costs the gateway: rounds of a fixed number of requests
 * at low concurrency after a long warm-up, each round's CPU divided by the requests answered in it.
 * Min and median are reported; the machine is shared, the min is the least disturbed round.
 */

export interface Reading {
  /** CPU the process has used, in ms. */
  readonly cpuMs: number;
  /** Requests it has answered. */
  readonly answered: number;
}

/** A gateway warmed up for CPU rounds: the request it is sent and the answer expected of it. */
export interface CpuTarget {
  readonly gateway: GatewayProcess;
  readonly request: ReturnType<typeof graphqlRequest>;
  readonly loadOptions: Parameters<typeof runLoad>[2];
}

/** Checks the gateway's merged page, then sends it the warm-up requests and waits until it is idle. */
export async function warmUpForCpu(ctx: BenchContext, gateway: GatewayProcess): Promise<CpuTarget> {
  const { options } = ctx;
  const reference = await capture(gateway.url, documents.mergedPage);
  if (reference.problem !== undefined) {
    throw new Error(`the gateway's merged page is wrong: ${reference.problem}`);
  }
  const request = graphqlRequest(gateway.url, documents.mergedPage);
  const loadOptions = {
    connections: options.cpuConnections,
    // A bound only: a round that takes ten times its expected length is cut off.
    seconds: Math.max(10, options.cpuRequests / 50),
    graphql: true,
    expect: { body: reference.text },
  };
  if (options.cpuWarmup > 0) {
    await runLoad(ctx.generator, request, { ...loadOptions, amount: options.cpuWarmup });
  }
  await settle(ctx, gateway.pid);
  return { gateway, request, loadOptions };
}

/** One round: a fixed number of requests, the CPU they cost and the upstream calls they made. */
export async function cpuRound(
  ctx: BenchContext,
  target: CpuTarget,
  read: () => Promise<Reading | undefined>,
): Promise<{ msPerRequest: number; requests: number; calls: number }> {
  await ctx.simulators.resetCounters();
  const before = await read();
  const result = await runLoad(ctx.generator, target.request, {
    ...target.loadOptions,
    amount: ctx.options.cpuRequests,
  });
  await settle(ctx, target.gateway.pid);
  const after = await read();
  const { iot, importExport } = await ctx.simulators.counters();
  if (!before || !after) throw new Error('the gateway CPU could not be read');
  if (result.wrong > 0 || result.non2xx > 0 || result.graphqlErrors > 0) {
    throw new Error(`wrong answers in a CPU round: ${result.firstFailure}`);
  }
  const requests = after.answered - before.answered;
  return {
    msPerRequest: (after.cpuMs - before.cpuMs) / requests,
    requests,
    calls: iot.total + importExport.total,
  };
}

/** CPU from /proc, requests from the gateway's access log. */
export function procReading(gateway: GatewayProcess): () => Promise<Reading | undefined> {
  return async () => {
    const cpuMs = readCpuMs(gateway.pid);
    return cpuMs === undefined ? undefined : { cpuMs, answered: gateway.served() };
  };
}

async function rounds(
  ctx: BenchContext,
  gateway: GatewayProcess,
  read: () => Promise<Reading | undefined>,
): Promise<{ rounds: number[]; upstreamCallsPerQuery: number | undefined }> {
  const target = await warmUpForCpu(ctx, gateway);
  const results: number[] = [];
  let calls = 0;
  let answered = 0;
  for (let round = 0; round < ctx.options.cpuRounds; round++) {
    const measured = await cpuRound(ctx, target, read);
    results.push(measured.msPerRequest);
    calls += measured.calls;
    answered += measured.requests;
    ctx.progress(`  round ${round + 1}: ${measured.msPerRequest.toFixed(3)} ms per request`);
  }
  return { rounds: results, upstreamCallsPerQuery: answered > 0 ? calls / answered : undefined };
}

/**
 * The figure of the run: CPU from /proc (utime + stime of the gateway's process, in clock ticks),
 * requests counted from the gateway's access log.
 */
export async function cpuPerPage(
  ctx: BenchContext,
  gateway: GatewayProcess,
  label: string,
): Promise<CpuRounds> {
  return measure(
    ctx,
    gateway,
    procReading(gateway),
    label,
    `CPU: utime + stime of the process from /proc; requests: its access-log lines; load: ${ctx.generator}.`,
  );
}

/**
 * The check of the figure: a fresh gateway process, no other server running beside the
 * simulators, measured from inside: CPU from its own
 * /metrics (`process_cpu_seconds_total`, prom-client's reading of getrusage, microsecond
 * resolution), requests from its own GraphQL request counter (`graphql_envelop_request`).
 */
export async function cpuAlone(ctx: BenchContext, gateway: GatewayProcess): Promise<CpuRounds> {
  const metricsUrl = new URL('/metrics', gateway.url).href;
  const read = async (): Promise<Reading | undefined> => {
    const text = await scrapeMetrics(metricsUrl);
    if (text === undefined) return undefined;
    const cpu = metricSum(text, 'process_cpu_seconds_total');
    const answered = metricSum(text, 'graphql_envelop_request');
    if (cpu === undefined || answered === undefined) return undefined;
    return { cpuMs: cpu * 1000, answered };
  };
  return measure(
    ctx,
    gateway,
    read,
    'The gateway alone, measured another way',
    `CPU: the gateway's own process_cpu_seconds_total (getrusage, from inside) read from its /metrics; requests: its graphql_envelop_request counter; a fresh process, no other server running but the simulators; load: ${ctx.generator}.`,
  );
}

async function measure(
  ctx: BenchContext,
  gateway: GatewayProcess,
  read: () => Promise<Reading | undefined>,
  label: string,
  method: string,
): Promise<CpuRounds> {
  const measured = await rounds(ctx, gateway, read);
  return {
    label,
    method,
    connections: ctx.options.cpuConnections,
    requestsPerRound: ctx.options.cpuRequests,
    warmupRequests: ctx.options.cpuWarmup,
    rounds: measured.rounds,
    ...summary(measured.rounds),
    upstreamCallsPerQuery: measured.upstreamCallsPerQuery,
  };
}

/**
 * CPU per page over whole walks: every page of `jobs(first: 20)`, each asked for with the previous
 * page's endCursor, one request at a time (the harness sends them; the gateway is alone with it).
 * Later pages may read a source twice (How paging works), so a walk's page costs more than a first
 * page.
 */
export async function cpuPerWalkPage(
  ctx: BenchContext,
  gateway: GatewayProcess,
  walksPerRound: number,
): Promise<CpuRounds> {
  const { options } = ctx;
  const walk = async (): Promise<number> => {
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          operationName: documents.mergedPage.operationName,
          query: documents.mergedPage.query,
          variables: { first: 20, after },
        }),
      });
      const body = (await response.json()) as {
        data?: { jobs?: { pageInfo?: { hasNextPage?: boolean; endCursor?: string | null } } };
        errors?: unknown;
      };
      pages++;
      const info = body.data?.jobs?.pageInfo;
      if (response.status !== 200 || body.errors || !info) {
        throw new Error(`a page of the walk failed: ${JSON.stringify(body).slice(0, 300)}`);
      }
      if (!info.hasNextPage) return pages;
      after = info.endCursor ?? null;
    }
  };
  await walk();
  await walk();
  await settle(ctx, gateway.pid);
  const results: number[] = [];
  let calls = 0;
  let pages = 0;
  for (let round = 0; round < options.cpuRounds; round++) {
    await ctx.simulators.resetCounters();
    const before = readCpuMs(gateway.pid);
    let roundPages = 0;
    for (let i = 0; i < walksPerRound; i++) roundPages += await walk();
    await settle(ctx, gateway.pid);
    const after = readCpuMs(gateway.pid);
    if (before === undefined || after === undefined) throw new Error('no CPU reading');
    const { iot, importExport } = await ctx.simulators.counters();
    calls += iot.total + importExport.total;
    pages += roundPages;
    results.push((after - before) / roundPages);
    ctx.progress(`  round ${round + 1}: ${(results.at(-1) as number).toFixed(3)} ms per page`);
  }
  return {
    label: `A walk: every page of jobs(first: 20) over the ${options.iotJobs + options.importExportJobs} jobs, each after the previous endCursor`,
    method: `CPU: utime + stime from /proc over ${walksPerRound} walks per round, divided by their pages; one request at a time.`,
    connections: 1,
    requestsPerRound: Math.round(pages / options.cpuRounds),
    warmupRequests: Math.round((2 * pages) / options.cpuRounds / walksPerRound),
    rounds: results,
    ...summary(results),
    upstreamCallsPerQuery: pages > 0 ? calls / pages : undefined,
  };
}
