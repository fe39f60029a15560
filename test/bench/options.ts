/**
 * Benchmark options from flags and BENCH_* variables (a flag wins over its variable). The defaults
 * keep a full run under about four minutes on a 2-core machine; `--quick` keeps every scenario but
 * shrinks every window, so that a test or a pre-push hook can afford it (40-50 s).
 */

export interface BenchOptions {
  readonly mode: 'full' | 'quick';
  /** Which build of the gateway runs: the sources under tsx, or the bundle in dist/. */
  readonly entry: 'src' | 'dist';
  /** Load before each measurement, excluded from the results. */
  readonly warmupSeconds: number;
  /** One measured window against the gateway or the bare server. */
  readonly durationSeconds: number;
  /** One measured window straight against a simulator (the upstream baseline). */
  readonly directSeconds: number;
  /** Cold starts measured; the median is reported. */
  readonly coldStarts: number;
  /** Connections held open in the memory-per-request scenario. */
  readonly memoryConnections: number;
  /** Rounds of the CPU-per-page measurement (min and median are reported). */
  readonly cpuRounds: number;
  /** Requests per CPU round. */
  readonly cpuRequests: number;
  /** Requests before the first CPU round. */
  readonly cpuWarmup: number;
  /** Connections of the CPU rounds. */
  readonly cpuConnections: number;
  /** wrk, or autocannon (in a process of its own); default wrk when it is installed. */
  readonly load: 'wrk' | 'autocannon' | undefined;
  readonly iotJobs: number;
  readonly importExportJobs: number;
  /** Directory the gateway writes V8 CPU profiles to (`--cpu-prof`); none when undefined. */
  readonly cpuProfileDir: string | undefined;
  /** Scenario ids to run; all when undefined. */
  readonly only: ReadonlySet<string> | undefined;
  /** Relative to the repository root unless absolute. */
  readonly out: string;
}

export const SCENARIO_IDS = [
  'cpu',
  'merged-0ms',
  'merged-20ms',
  'details-0ms',
  'import-export-100',
  'merged-20-40ms',
  'iot-20ms',
  'iot-details-20ms',
  'memory',
  'cold-start',
  'alone',
  'replicas',
] as const;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `npm run bench [-- options]

  --quick                   every scenario with short windows (about a minute in all)
  --duration=S              seconds per measured window          (BENCH_DURATION, default 8; quick 1)
  --warmup=S                seconds of warm-up before each one   (BENCH_WARMUP, default 2; quick 0.3)
  --direct-duration=S       seconds per upstream-direct window   (BENCH_DIRECT_DURATION, default 4; quick 1)
  --cold-starts=N           gateway cold starts, median reported (BENCH_COLD_STARTS, default 3; quick 1)
  --memory-connections=N    connections of the memory scenario   (BENCH_MEMORY_CONNECTIONS, default 1000; quick 300)
  --cpu-rounds=N            rounds of the CPU-per-page figure    (BENCH_CPU_ROUNDS, default 5; quick 3)
  --cpu-requests=N          requests per CPU round               (BENCH_CPU_REQUESTS, default 3000; quick 800)
  --cpu-warmup=N            requests before the first CPU round  (BENCH_CPU_WARMUP, default 6000; quick 1500)
  --cpu-connections=N       connections of the CPU rounds        (BENCH_CPU_CONNECTIONS, default 1)
  --load=wrk|autocannon     the load generator, each in a process of its own (BENCH_LOAD; default
                            wrk when installed: apt-get install wrk)
  --iot-jobs=N              simulated IoT jobs                   (BENCH_IOT_JOBS, default 1000)
  --import-export-jobs=N    simulated Import/Export jobs         (BENCH_IMPORT_EXPORT_JOBS, default 300)
  --only=a,b                run only these scenarios: ${SCENARIO_IDS.join(', ')}
  --entry=dist|src          the gateway as the bundle \`node dist/main.js\`, as \`npm start\` runs it
                            (default; \`npm run bench\` builds it first), or from source through tsx
                            (BENCH_ENTRY)
  --cpu-prof[=DIR]          the gateway writes V8 CPU profiles to DIR (default .bench/profiles)
  --out=PATH                results as JSON                      (BENCH_OUT, default .bench/latest.json)
  --render[=PATH]           print the report of an earlier run's JSON and exit (measures nothing)
  --help
`;

type Env = Readonly<Record<string, string | undefined>>;

/** Print the report of an earlier run from its JSON, measuring nothing (for the README). */
export interface RenderRequest {
  readonly render: string;
}

export function parseOptions(
  argv: readonly string[],
  env: Env,
): BenchOptions | RenderRequest | 'help' {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    if (arg === '--help' || arg === '-h') return 'help';
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`unknown argument "${arg}"\n\n${USAGE}`);
    flags.set(match[1] as string, match[2] ?? 'true');
  }
  const known = new Set([
    'quick',
    'duration',
    'warmup',
    'direct-duration',
    'cold-starts',
    'memory-connections',
    'cpu-rounds',
    'cpu-requests',
    'cpu-warmup',
    'cpu-connections',
    'load',
    'iot-jobs',
    'import-export-jobs',
    'only',
    'out',
    'cpu-prof',
    'render',
    'entry',
  ]);
  for (const name of flags.keys()) {
    if (!known.has(name)) throw new UsageError(`unknown option --${name}\n\n${USAGE}`);
  }
  const render = flags.get('render');
  if (render !== undefined) {
    return { render: render === 'true' ? (env.BENCH_OUT ?? '.bench/latest.json') : render };
  }

  const value = (flag: string, variable: string): string | undefined => {
    const given = flags.get(flag) ?? env[variable];
    return given === undefined || given.trim() === '' ? undefined : given.trim();
  };
  const number = (flag: string, variable: string, fallback: number, min: number, max: number) => {
    const raw = value(flag, variable);
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
      throw new UsageError(`--${flag} (${variable}) must be a number from ${min} to ${max}`);
    }
    return parsed;
  };
  const integer = (flag: string, variable: string, fallback: number, min: number, max: number) => {
    const parsed = number(flag, variable, fallback, min, max);
    if (!Number.isInteger(parsed)) throw new UsageError(`--${flag} (${variable}) must be whole`);
    return parsed;
  };

  // `--quick` and `--quick=true` turn a switch on, `--quick=false` (or 0, no) leaves it off.
  const on = (flag: string) => flags.has(flag) && !/^(0|false|no)$/i.test(flags.get(flag) ?? '');
  const quickFlag = on('quick') || /^(1|true|yes)$/i.test(env.BENCH_QUICK ?? '');
  const only = value('only', 'BENCH_ONLY');
  let selected: Set<string> | undefined;
  if (only !== undefined) {
    selected = new Set(only.split(',').map((id) => id.trim()));
    for (const id of selected) {
      if (!(SCENARIO_IDS as readonly string[]).includes(id)) {
        throw new UsageError(`--only: unknown scenario "${id}" (${SCENARIO_IDS.join(', ')})`);
      }
    }
  }

  const entry = value('entry', 'BENCH_ENTRY') ?? 'dist';
  if (entry !== 'src' && entry !== 'dist') throw new UsageError('--entry must be src or dist');
  const load = value('load', 'BENCH_LOAD');
  if (load !== undefined && load !== 'wrk' && load !== 'autocannon') {
    throw new UsageError('--load must be wrk or autocannon');
  }

  return {
    mode: quickFlag ? 'quick' : 'full',
    entry,
    warmupSeconds: number('warmup', 'BENCH_WARMUP', quickFlag ? 0.3 : 2, 0, 60),
    durationSeconds: number('duration', 'BENCH_DURATION', quickFlag ? 1 : 8, 0.5, 300),
    directSeconds: number('direct-duration', 'BENCH_DIRECT_DURATION', quickFlag ? 1 : 4, 0.5, 300),
    coldStarts: integer('cold-starts', 'BENCH_COLD_STARTS', quickFlag ? 1 : 3, 1, 20),
    memoryConnections: integer(
      'memory-connections',
      'BENCH_MEMORY_CONNECTIONS',
      quickFlag ? 300 : 1000,
      10,
      10_000,
    ),
    cpuRounds: integer('cpu-rounds', 'BENCH_CPU_ROUNDS', quickFlag ? 3 : 5, 1, 50),
    cpuRequests: integer(
      'cpu-requests',
      'BENCH_CPU_REQUESTS',
      quickFlag ? 800 : 3000,
      100,
      1_000_000,
    ),
    cpuWarmup: integer('cpu-warmup', 'BENCH_CPU_WARMUP', quickFlag ? 1500 : 6000, 0, 1_000_000),
    cpuConnections: integer('cpu-connections', 'BENCH_CPU_CONNECTIONS', 1, 1, 1000),
    load,
    iotJobs: integer('iot-jobs', 'BENCH_IOT_JOBS', 1000, 100, 100_000),
    importExportJobs: integer('import-export-jobs', 'BENCH_IMPORT_EXPORT_JOBS', 300, 101, 100_000),
    only: selected,
    cpuProfileDir: on('cpu-prof')
      ? flags.get('cpu-prof') === 'true'
        ? '.bench/profiles'
        : flags.get('cpu-prof')
      : undefined,
    out: value('out', 'BENCH_OUT') ?? '.bench/latest.json',
  };
}
