import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import {
  type BareServerProcess,
  BUNDLED_MAIN,
  type GatewayProcess,
  REPO_ROOT,
  startBareServer,
  startGatewayProcess,
} from './children.js';
import {
  type BenchContext,
  type BenchScenario,
  capture,
  describeRow,
  expectationOf,
  firstGoodAnswer,
  graphqlRequest,
  load,
  measureWindow,
  scrapeLoop,
  settle,
  startGateway,
  toRow,
} from './context.js';
import { cpuAlone, cpuPerPage, cpuPerWalkPage } from './cpu.js';
import { availableGenerator, describeGenerator, type LoadGenerator } from './load.js';
import { type BenchOptions, parseOptions, USAGE, UsageError } from './options.js';
import { readMemory } from './proc-stats.js';
import { replicasScenario } from './replicas.js';
import {
  type BenchResults,
  type ColdStart,
  type CpuRounds,
  type Machine,
  type Memory,
  type Row,
  renderMarkdown,
} from './report.js';
import {
  distinctBodies,
  documents,
  MEMORY_LATENCY,
  type ThroughputScenario,
  throughputScenarios,
} from './scenarios.js';
import { type SimulatorsProcess, startSimulatorsProcess } from './simulators-process.js';
import { median } from './stats.js';
import { evaluateTargets } from './targets.js';
import { signedImportExportListJobs, signedIotListJobs } from './upstream-requests.js';

/**
 * `npm run bench`: the gateway as a process of its own against the simulators in another, driven
 * by a load generator in a third (wrk, or autocannon where wrk is missing); beside it, in the same
 * run, a bare node:http process replaying the gateway's own bytes (the ceiling), the same gateway
 * serving from memory (yoga and the gateway's code without upstream clients) and the simulators
 * measured directly (the latency floor), so that the targets can be ratios. Exits 0 whatever the
 * figures; only a broken harness exits non-zero.
 */

/**
 * Scenarios defined in other files (a BenchScenario each), run after the built-in ones when
 * selected with --only or in a full run. Their rows join the table.
 */
const EXTRA_SCENARIOS: readonly BenchScenario[] = [];

/** The page size the gateway asks each upstream for a `first: 20` page. */
const UPSTREAM_PAGE_SIZE = 21;
const MEMORY_GATEWAY = join(REPO_ROOT, '.bench/build/memory-gateway.js');

const benchStarted = performance.now();

/** Progress goes to stderr, with the run's clock, so that stdout holds only the report. */
function progress(message: string): void {
  const clock = `[${((performance.now() - benchStarted) / 1000).toFixed(1).padStart(5)} s]`;
  process.stderr.write(
    message.startsWith('\n') ? `\n${clock} ${message.slice(1)}\n` : `${clock} ${message}\n`,
  );
}

type DirectKey = `${'iot' | 'import-export'}@${number}`;

/** The simulators measured directly, once per upstream and latency, at c=10. */
async function upstreamBaseline(
  ctx: BenchContext,
  cache: Map<DirectKey, Row>,
  upstream: 'iot' | 'import-export',
  latencyMs: number,
  scenario: ThroughputScenario,
): Promise<Row> {
  const key: DirectKey = `${upstream}@${latencyMs}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const request =
    upstream === 'iot'
      ? signedIotListJobs(ctx.simulators.iotUrl, UPSTREAM_PAGE_SIZE)
      : signedImportExportListJobs(ctx.simulators.importExportUrl, UPSTREAM_PAGE_SIZE);
  const authBefore = await ctx.simulators.counters();
  const window = await measureWindow(
    ctx,
    request,
    { pid: ctx.simulators.pid },
    {
      connections: 10,
      seconds: ctx.options.directSeconds,
      warmupSeconds: Math.min(ctx.options.warmupSeconds, 1),
      expect: { contains: upstream === 'iot' ? '{"jobs":[' : '<ListJobsResult>' },
      graphql: false,
    },
  );
  const authAfter = await ctx.simulators.counters();
  const side = upstream === 'iot' ? 'iot' : 'importExport';
  if (authAfter[side].authFailures > authBefore[side].authFailures) {
    throw new Error(`the ${upstream} simulator refused the benchmark's signed requests`);
  }
  const row = toRow(
    { id: scenario.id, title: `${scenario.title}: ${upstream} at ${latencyMs} ms` },
    upstream === 'iot' ? 'iot-direct' : 'import-export-direct',
    // The simulators serve both upstreams from one process: its CPU says nothing of either.
    { ...window, cpuMsPerRequest: undefined, cpuPercent: undefined, peakRssMb: undefined },
  );
  cache.set(key, row);
  return row;
}

interface Servers {
  readonly gateway: GatewayProcess;
  readonly metricsUrl: string;
  readonly memory: GatewayProcess | undefined;
  readonly bare: BareServerProcess;
}

/** At c=10, the latency a window adds over the slower upstream measured directly. */
function addedLatency(
  floor: { p50: number; p99: number } | undefined,
  connections: number,
  measured: { result: { latency: { p50: number; p99: number } } },
): Partial<Pick<Row, 'addedLatencyMs'>> {
  if (!floor || connections !== 10) return {};
  const { p50, p99 } = measured.result.latency;
  return { addedLatencyMs: { p50: p50 - floor.p50, p99: p99 - floor.p99 } };
}

async function throughputScenario(
  ctx: BenchContext,
  scenario: ThroughputScenario,
  servers: Servers,
  baselines: Map<DirectKey, Row>,
): Promise<Row[]> {
  const { options } = ctx;
  const { gateway, metricsUrl, bare } = servers;
  progress(`\n${scenario.title}`);
  await ctx.simulators.setLatency(scenario.latency);
  const reference = await capture(gateway.url, scenario.document);
  if (reference.problem !== undefined) {
    ctx.notes.push(`${scenario.title}: the reference answer is wrong (${reference.problem}).`);
  }
  await bare.serve(reference.body, reference.contentType);
  const expect = await expectationOf(gateway.url, scenario.document, reference);
  const window = (connections: number) => ({
    connections,
    seconds: options.durationSeconds,
    warmupSeconds: options.warmupSeconds,
    expect,
    graphql: true,
  });

  const bareRows = new Map<number, Row>();
  for (const connections of scenario.bareConnections) {
    const measured = await measureWindow(
      ctx,
      graphqlRequest(bare.url, scenario.document),
      { pid: bare.pid },
      window(connections),
    );
    const row = toRow(scenario, 'bare', measured);
    bareRows.set(connections, row);
    progress(describeRow(row));
  }

  const memoryRows = new Map<number, Row>();
  if (servers.memory && scenario.memoryConnections?.length) {
    const memory = servers.memory;
    const own = await capture(memory.url, scenario.document);
    if ('body' in expect && own.text !== reference.text) {
      ctx.notes.push(
        `${scenario.title}: the gateway serving from memory does not answer the same bytes (${own.problem ?? 'different bytes'}).`,
      );
    }
    for (const connections of scenario.memoryConnections) {
      const measured = await measureWindow(
        ctx,
        graphqlRequest(memory.url, scenario.document),
        { pid: memory.pid, gateway: memory },
        window(connections),
      );
      const row = toRow(scenario, 'memory', {
        ...measured,
        // Replayed: no call leaves the process, whatever the simulators saw of others.
        upstream: { upstreamCallsPerQuery: 0, upstreamCalls: undefined },
      });
      memoryRows.set(connections, row);
      progress(describeRow(row));
    }
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
    const measured = await measureWindow(
      ctx,
      graphqlRequest(gateway.url, scenario.document),
      { pid: gateway.pid, gateway, metricsUrl },
      window(connections),
    );
    const bareRow = bareRows.get(connections);
    const memoryRow = memoryRows.get(connections);
    const row = toRow(scenario, 'gateway', measured, {
      ...(bareRow ? { rpsVsBare: measured.result.rps / bareRow.rps } : {}),
      ...(memoryRow ? { rpsVsMemory: measured.result.rps / memoryRow.rps } : {}),
      ...addedLatency(floor, connections, measured),
    });
    gatewayRows.push(row);
    progress(describeRow(row));
  }
  for (const connections of scenario.distinctConnections ?? []) {
    const measured = await measureWindow(
      ctx,
      {
        ...graphqlRequest(gateway.url, scenario.document),
        bodies: distinctBodies(scenario.document),
      },
      { pid: gateway.pid, gateway, metricsUrl },
      { ...window(connections), expect: { contains: '{"data":{' } },
    );
    const row = toRow(
      scenario,
      'gateway-distinct',
      measured,
      addedLatency(floor, connections, measured),
    );
    gatewayRows.push(row);
    progress(describeRow(row));
  }
  return [...gatewayRows, ...memoryRows.values(), ...bareRows.values(), ...baselineRows];
}

async function memoryScenario(ctx: BenchContext): Promise<Memory> {
  const { options } = ctx;
  const title = `8. memory: upstreams ${MEMORY_LATENCY.iotMs} ms, c=${options.memoryConnections}`;
  progress(`\n${title}`);
  await ctx.simulators.setLatency(MEMORY_LATENCY);
  // A fresh process, so that idle and peak describe this scenario and nothing before it.
  const gateway = await startGateway(ctx);
  try {
    const metricsUrl = new URL('/metrics', gateway.url).href;
    const reference = await capture(gateway.url, documents.mergedPage);
    const request = graphqlRequest(gateway.url, documents.mergedPage);
    // Warm at modest concurrency: JIT and lazy initialisation done, memory not yet inflated.
    await load(ctx, request, { connections: 50, seconds: Math.max(options.warmupSeconds, 0.5) });
    await settle(ctx, gateway.pid);
    const MB = 1024 * 1024;
    // Peak RSS depends on when the collector last ran: a few rounds, the median reported.
    const rounds: { idleRssMb: number | undefined; row: Row; perThousand: number | undefined }[] =
      [];
    for (let round = 0; round < (options.mode === 'quick' ? 1 : 3); round++) {
      // Let the previous load's garbage go before reading the idle size.
      await sleep(options.mode === 'quick' ? 300 : 1000);
      const idle = readMemory(gateway.pid)?.rss;
      const window = await measureWindow(
        ctx,
        request,
        { pid: gateway.pid, gateway, metricsUrl },
        {
          connections: options.memoryConnections,
          seconds: options.durationSeconds,
          warmupSeconds: 0,
          expect: { body: reference.text },
          graphql: true,
          // One answer per connection: every request has been inside the gateway at once.
          amount: options.memoryConnections,
        },
      );
      const row = toRow({ id: 'memory', title }, 'gateway', window);
      progress(describeRow(row));
      const peak = window.peakRssMb !== undefined ? window.peakRssMb * MB : undefined;
      rounds.push({
        idleRssMb: idle !== undefined ? idle / MB : undefined,
        row,
        perThousand:
          idle !== undefined && peak !== undefined
            ? ((peak - idle) / MB / options.memoryConnections) * 1000
            : undefined,
      });
    }
    const sorted = [...rounds].sort(
      (a, b) =>
        (a.perThousand ?? Number.POSITIVE_INFINITY) - (b.perThousand ?? Number.POSITIVE_INFINITY),
    );
    const median = sorted[sorted.length >> 1] as (typeof rounds)[number];
    return {
      connections: options.memoryConnections,
      idleRssMb: median.idleRssMb,
      peakRssMb: median.row.peakRssMb,
      perThousandInFlightMb: median.perThousand,
      roundsPerThousandMb: rounds.map((r) => r.perThousand),
      row: median.row,
    };
  } finally {
    await gateway.stop();
  }
}

async function coldStarts(ctx: BenchContext): Promise<ColdStart> {
  progress('\n9. cold start');
  await ctx.simulators.setLatency({ iotMs: 0, importExportMs: 0 });
  const runs: { readyMs: number; firstAnswerMs: number }[] = [];
  for (let i = 0; i < ctx.options.coldStarts; i++) {
    const gateway = await startGatewayProcess({
      entry: ctx.options.entry,
      iotEndpoint: ctx.simulators.iotUrl,
      importExportEndpoint: ctx.simulators.importExportUrl,
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
  return {
    runs,
    medianFirstAnswerMs: median(runs.map((r) => r.firstAnswerMs)),
    medianReadyMs: median(runs.map((r) => r.readyMs)),
  };
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

/** The gateway serving from memory, bundled the way dist/main.js is. */
async function buildMemoryGateway(): Promise<string> {
  const { build } = await import('esbuild');
  const options = pathToFileURL(join(REPO_ROOT, 'scripts/bundle-options.mjs')).href;
  const { bundleOptions } = (await import(options)) as {
    bundleOptions: (entries: Record<string, string>, outdir: string) => Parameters<typeof build>[0];
  };
  await build(
    bundleOptions(
      { 'memory-gateway': join(REPO_ROOT, 'test/bench/memory-gateway.ts') },
      dirname(MEMORY_GATEWAY),
    ),
  );
  return MEMORY_GATEWAY;
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

  const generator: LoadGenerator = options.load ?? availableGenerator();
  if (options.load === undefined && generator === 'autocannon') {
    notes.push(
      'wrk is not installed (apt-get install wrk): autocannon generated the load, in a process of its own; it needs about a core itself, which lowers every rps figure.',
    );
  }

  const rows: Row[] = [];
  let cold: ColdStart | undefined;
  let memory: Memory | undefined;
  let cpu: CpuRounds | undefined;
  let memoryCpu: CpuRounds | undefined;
  let walkCpu: CpuRounds | undefined;
  let alone: CpuRounds | undefined;
  try {
    progress(`jobs-gateway benchmark, ${options.mode} mode, load from ${generator}`);
    if (options.entry === 'dist') await checkBundle(notes);
    const scenarios = throughputScenarios.filter((s) => selected(options, s.id));
    const needsMemory =
      selected(options, 'cpu') || scenarios.some((s) => s.memoryConnections?.length);
    const memoryGateway = needsMemory ? await buildMemoryGateway() : undefined;
    const simulators: SimulatorsProcess = await startSimulatorsProcess({
      iotJobs: options.iotJobs,
      importExportJobs: options.importExportJobs,
    });
    cleanups.push(() => simulators.stop());
    const cpuProfileDir = options.cpuProfileDir
      ? resolve(REPO_ROOT, options.cpuProfileDir)
      : undefined;
    if (cpuProfileDir) {
      await mkdir(cpuProfileDir, { recursive: true });
      notes.push(
        `The gateways under load ran with --cpu-prof: their V8 profiles are in ${cpuProfileDir} (profiling slows them down; these figures are not comparable). Read them by package with \`npm run bench:profile -- ${cpuProfileDir}\`.`,
      );
    }
    const ctx: BenchContext = {
      options,
      simulators,
      generator,
      notes,
      cpuProfileDir,
      progress,
      onCleanup: (cleanup) => cleanups.push(cleanup),
    };

    if (selected(options, 'cpu') || scenarios.length > 0) {
      await simulators.setLatency({ iotMs: 0, importExportMs: 0 });
      const gateway = await startGateway(ctx);
      const metricsUrl = new URL('/metrics', gateway.url).href;
      if ((await scrapeLoop(metricsUrl)) === undefined) {
        notes.push('The gateway serves no event-loop gauge at /metrics: loop delay not measured.');
      }
      const memoryProcess = memoryGateway
        ? await startGateway(ctx, { script: memoryGateway })
        : undefined;
      if (selected(options, 'cpu')) {
        progress('\nCPU per merged page: the gateway');
        cpu = await cpuPerPage(ctx, gateway, 'The gateway');
        progress('CPU per page of a walk: the gateway');
        walkCpu = await cpuPerWalkPage(ctx, gateway, options.mode === 'quick' ? 1 : 3);
        if (memoryProcess) {
          progress('CPU per merged page: the gateway serving from memory');
          memoryCpu = await cpuPerPage(
            ctx,
            memoryProcess,
            'The gateway serving from memory (no upstream client)',
          );
        }
      }
      if (scenarios.length > 0) {
        const bare = await startBareServer();
        cleanups.push(() => bare.stop());
        const baselines = new Map<DirectKey, Row>();
        const servers: Servers = { gateway, metricsUrl, memory: memoryProcess, bare };
        for (const scenario of scenarios) {
          const measured = await throughputScenario(ctx, scenario, servers, baselines);
          // An upstream baseline shared by two scenarios is listed once, under the first.
          rows.push(...measured.filter((row) => !rows.includes(row)));
        }
        await bare.stop();
      }
      await memoryProcess?.stop();
      await gateway.stop();
    }
    for (const scenario of EXTRA_SCENARIOS) {
      if (!selected(options, scenario.id)) continue;
      rows.push(...(await scenario.run(ctx)));
    }
    if (selected(options, 'memory')) {
      memory = await memoryScenario(ctx);
      rows.push(memory.row);
    }
    if (selected(options, 'cold-start')) cold = await coldStarts(ctx);
    if (selected(options, 'alone')) {
      progress('\nThe gateway alone, measured from its own /metrics');
      await simulators.setLatency({ iotMs: 0, importExportMs: 0 });
      const gateway = await startGateway(ctx);
      alone = await cpuAlone(ctx, gateway);
      await gateway.stop();
    }
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
    'Processes: the gateway, the gateway serving from memory, the bare server, the simulators and the load generator each run on their own; all share the same cores.',
    'Upstream baseline = the slower of the two simulators measured directly (signed ListJobs, same page size) at c=10: the gateway calls both at once.',
    `Gateway environment: NODE_ENV=production and every other setting at its default (logs at info, metrics, limits, CSRF prevention, signed cursors, the upstream-call budget), started as \`${options.entry === 'src' ? 'node --import tsx src/main.ts' : 'node dist/main.js'}\`; its log goes to a pipe the benchmark drains.`,
  );
  if (options.mode === 'quick') {
    notes.push(
      `Quick mode: ${options.durationSeconds} s windows after ${options.warmupSeconds} s of warm-up, ${options.cpuRounds} CPU rounds of ${options.cpuRequests} requests; the figures are indicative only.`,
    );
  }

  return {
    schema: 2,
    startedAt: startedAt.toISOString(),
    elapsedSeconds: (performance.now() - t0) / 1000,
    mode: options.mode,
    settings: {
      warmupSeconds: options.warmupSeconds,
      durationSeconds: options.durationSeconds,
      directSeconds: options.directSeconds,
      coldStarts: options.coldStarts,
      memoryConnections: options.memoryConnections,
      cpuRounds: options.cpuRounds,
      cpuRequests: options.cpuRequests,
      cpuWarmup: options.cpuWarmup,
      cpuConnections: options.cpuConnections,
      iotJobs: options.iotJobs,
      importExportJobs: options.importExportJobs,
      entry: options.entry,
      load: generator,
      only: options.only ? [...options.only] : undefined,
    },
    machine: describeMachine(loadStart),
    source,
    loadGenerator: describeGenerator(generator),
    rows,
    cpu,
    memoryCpu,
    walkCpu,
    alone,
    coldStart: cold,
    memory,
    targets: evaluateTargets({ rows, cpu, memoryCpu, alone, cold, memory }),
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
    if (results.schema !== 2) throw new Error(`${path}: not a results file of this benchmark`);
    process.stdout.write(`${renderMarkdown(results)}\n`);
    return 0;
  }
  const results = await run(options);
  process.stdout.write(`${renderMarkdown(results)}\n`);
  if (selected(options, 'replicas')) {
    process.stdout.write(await replicasScenario(options, progress));
  }
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
