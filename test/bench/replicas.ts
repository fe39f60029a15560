import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Simulators } from '../../src/simulators/index.js';
import { killRedisServers, startRedisServer } from '../redis-server.js';
import { type GatewayProcess, REPO_ROOT, startGatewayProcess } from './children.js';
import { availableGenerator, type LoadResult, runLoad } from './load.js';
import type { BenchOptions } from './options.js';
import { readCpuMs } from './proc-stats.js';
import { documents, type GraphQLDocument, requestBody } from './scenarios.js';
import { startBenchSimulators } from './simulators-process.js';
import { median } from './stats.js';

/**
 * Scenario `replicas`: two gateway processes sharing one real redis-server and one pair of
 * simulators (20 ms each), loaded together, with the cache of upstream reads off (coalescing
 * alone) and on (PAGE_CACHE_TTL_MS, DETAIL_CACHE_TTL_MS), side by side in one run, in rounds that
 * alternate the two. Per window: rps of both replicas together, latency, gateway CPU per request
 * and upstream calls per query, each measured two ways (CPU: /proc and the gateways' own
 * process_cpu_seconds_total; upstream calls: the simulators' counters and the gateways'
 * jobs_gateway_upstream_calls_total). Min and median over the rounds.
 *
 * Run: `npm run bench -- --only=replicas` (part of a full `npm run bench`); `--quick` for one short
 * round. The table is printed after the main report and written to `.bench/replicas.json`.
 */

const LATENCY_MS = 20;
const CONNECTIONS_PER_REPLICA = 10;

type Mode = 'cache off' | 'cache on';

interface Window {
  readonly round: number;
  readonly mode: Mode;
  readonly document: string;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly responses: number;
  readonly failures: number;
  readonly cpuMsPerRequest: number | undefined;
  readonly cpuMsPerRequestMetrics: number | undefined;
  readonly upstreamCallsPerQuery: number;
  readonly upstreamCallsPerQueryMetrics: number | undefined;
}

const MODES: Record<Mode, Record<string, string>> = {
  'cache off': {},
  'cache on': { PAGE_CACHE_TTL_MS: '5000', DETAIL_CACHE_TTL_MS: '30000' },
};

async function scrape(gateway: GatewayProcess): Promise<{ cpuMs: number; upstreamCalls: number }> {
  const text = await (await fetch(new URL('/metrics', gateway.url))).text();
  let cpuMs = Number.NaN;
  let upstreamCalls = 0;
  for (const line of text.split('\n')) {
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.startsWith('process_cpu_seconds_total ')) cpuMs = value * 1000;
    // Calls an open breaker refused never left the gateway.
    if (line.startsWith('jobs_gateway_upstream_calls_total{') && !line.includes('CIRCUIT_OPEN')) {
      upstreamCalls += value;
    }
  }
  return { cpuMs, upstreamCalls };
}

function upstreamRequests(simulators: Simulators): number {
  return (
    (simulators.iot?.counters.snapshot().total ?? 0) +
    (simulators.importExport?.counters.snapshot().total ?? 0)
  );
}

async function measure(
  options: BenchOptions,
  round: number,
  mode: Mode,
  pair: readonly GatewayProcess[],
  simulators: Simulators,
  document: GraphQLDocument,
  seconds: number,
  warmupSeconds: number,
): Promise<Window> {
  const request = (gateway: GatewayProcess) => ({
    url: gateway.url,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: requestBody(document),
  });
  const generator = options.load ?? availableGenerator();
  if (warmupSeconds > 0) {
    await Promise.all(
      pair.map((g) =>
        runLoad(generator, request(g), {
          connections: CONNECTIONS_PER_REPLICA,
          seconds: warmupSeconds,
        }),
      ),
    );
  }
  const cpuBefore = pair.map((g) => readCpuMs(g.pid));
  const metricsBefore = await Promise.all(pair.map(scrape));
  const upstreamBefore = upstreamRequests(simulators);
  const results: LoadResult[] = await Promise.all(
    pair.map((g) =>
      runLoad(generator, request(g), {
        connections: CONNECTIONS_PER_REPLICA,
        seconds,
        graphql: true,
        expect: { contains: '{"data":{' },
      }),
    ),
  );
  const upstream = upstreamRequests(simulators) - upstreamBefore;
  const cpuAfter = pair.map((g) => readCpuMs(g.pid));
  const metricsAfter = await Promise.all(pair.map(scrape));
  const responses = results.reduce((n, r) => n + r.responses, 0);
  let cpuMs: number | undefined = 0;
  for (const [i, before] of cpuBefore.entries()) {
    const after = cpuAfter[i];
    cpuMs = before === undefined || after === undefined ? undefined : (cpuMs ?? 0) + after - before;
  }
  const metricCpu = metricsAfter.reduce(
    (n, m, i) => n + m.cpuMs - (metricsBefore[i]?.cpuMs ?? 0),
    0,
  );
  const metricCalls = metricsAfter.reduce(
    (n, m, i) => n + m.upstreamCalls - (metricsBefore[i]?.upstreamCalls ?? 0),
    0,
  );
  const weighted = (pick: (r: LoadResult) => number) =>
    results.reduce((n, r) => n + pick(r) * r.responses, 0) / Math.max(1, responses);
  return {
    round,
    mode,
    document: document.operationName,
    rps: results.reduce((n, r) => n + r.rps, 0),
    p50Ms: weighted((r) => r.latency.p50),
    p99Ms: Math.max(...results.map((r) => r.latency.p99)),
    responses,
    failures: results.reduce(
      (n, r) => n + r.non2xx + r.connectionErrors + r.timeouts + r.graphqlErrors + r.wrong,
      0,
    ),
    cpuMsPerRequest: cpuMs === undefined ? undefined : cpuMs / Math.max(1, responses),
    cpuMsPerRequestMetrics: Number.isFinite(metricCpu)
      ? metricCpu / Math.max(1, responses)
      : undefined,
    upstreamCallsPerQuery: upstream / Math.max(1, responses),
    upstreamCallsPerQueryMetrics: metricCalls / Math.max(1, responses),
  };
}

function render(windows: readonly Window[], rounds: number, seconds: number): string {
  const fmt = (v: number | undefined, digits = 2) => (v === undefined ? 'n/a' : v.toFixed(digits));
  const lines = [
    `### Replicas: two gateways, one Redis, upstreams ${LATENCY_MS} ms`,
    '',
    `${rounds} round(s) of ${seconds} s per window, c=${CONNECTIONS_PER_REPLICA} per replica; median (min) over the rounds.`,
    '',
    '| document | cache | rps | p50 ms | p99 ms | CPU ms/req (/proc) | CPU ms/req (/metrics) | upstream calls/query (simulators) | upstream calls/query (/metrics) | on ÷ off, same round: rps, CPU/req | failures |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  // The machine is shared: what counts is the ratio of two windows taken one after the other.
  const offOf = (w: Window) =>
    windows.find((o) => o.round === w.round && o.document === w.document && o.mode === 'cache off');
  const groups = new Map<string, Window[]>();
  for (const w of windows) {
    const key = `${w.document}|${w.mode}`;
    groups.set(key, [...(groups.get(key) ?? []), w]);
  }
  for (const [key, group] of groups) {
    const [document, mode] = key.split('|');
    const stat = (pick: (w: Window) => number | undefined, digits = 2) => {
      const values = group
        .map(pick)
        .filter((v): v is number => v !== undefined && Number.isFinite(v));
      if (values.length === 0) return 'n/a';
      return `${fmt(median(values), digits)} (${fmt(Math.min(...values), digits)})`;
    };
    const ratios =
      mode === 'cache on'
        ? `${stat((w) => w.rps / (offOf(w)?.rps ?? Number.NaN))}×, ${stat((w) => (w.cpuMsPerRequest ?? Number.NaN) / (offOf(w)?.cpuMsPerRequest ?? Number.NaN))}×`
        : '';
    lines.push(
      `| ${document} | ${mode} | ${stat((w) => w.rps, 0)} | ${stat((w) => w.p50Ms, 1)} | ${stat((w) => w.p99Ms, 1)} | ${stat((w) => w.cpuMsPerRequest, 3)} | ${stat((w) => w.cpuMsPerRequestMetrics, 3)} | ${stat((w) => w.upstreamCallsPerQuery, 3)} | ${stat((w) => w.upstreamCallsPerQueryMetrics, 3)} | ${ratios} | ${group.reduce((n, w) => n + w.failures, 0)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs the scenario and returns its report (markdown); writes the windows to `.bench/replicas.json`. */
export async function replicasScenario(
  options: BenchOptions,
  progress: (message: string) => void,
): Promise<string> {
  if (!hasRedisServer()) {
    return 'Replicas scenario skipped: redis-server is not installed (apt-get install redis-server).\n';
  }
  progress('\nreplicas: two gateways sharing one Redis, cache off and on');
  const redis = await startRedisServer();
  const simulators = await startBenchSimulators(options);
  simulators.iot?.faults.set({ latencyMs: LATENCY_MS });
  simulators.importExport?.faults.set({ latencyMs: LATENCY_MS });
  const gateways = new Map<Mode, GatewayProcess[]>();
  try {
    for (const mode of Object.keys(MODES) as Mode[]) {
      const start = () =>
        startGatewayProcess({
          entry: options.entry,
          iotEndpoint: simulators.iot?.url as string,
          importExportEndpoint: simulators.importExport?.url as string,
          env: { REDIS_URL: redis.url, ...MODES[mode] },
        });
      gateways.set(mode, await Promise.all([start(), start()]));
    }
    const rounds = options.mode === 'quick' ? 1 : 3;
    const seconds = Math.max(1, options.durationSeconds / 2);
    const windows: Window[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const document of [documents.mergedPage, documents.mergedPageWithDetails]) {
        for (const mode of Object.keys(MODES) as Mode[]) {
          await redis.command('FLUSHALL');
          const window = await measure(
            options,
            round,
            mode,
            gateways.get(mode) ?? [],
            simulators,
            document,
            seconds,
            options.warmupSeconds,
          );
          windows.push(window);
          progress(
            `  round ${round + 1} ${document.operationName} ${mode}: ${window.rps.toFixed(0)} rps, cpu ${window.cpuMsPerRequest?.toFixed(3)} ms/req, upstream ${window.upstreamCallsPerQuery.toFixed(3)}/query, failures ${window.failures}`,
          );
        }
      }
    }
    // Beside the main results file.
    const out = resolve(REPO_ROOT, dirname(options.out), 'replicas.json');
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify({ windows }, null, 2)}\n`);
    return render(windows, rounds, seconds);
  } finally {
    for (const pair of gateways.values()) await Promise.all(pair.map((g) => g.stop()));
    await simulators.close();
    await redis.stop();
    killRedisServers();
  }
}
