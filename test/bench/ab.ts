import { isAbsolute, resolve } from 'node:path';
import { type BenchContext, startGateway } from './context.js';
import { type CpuTarget, cpuRound, procReading, warmUpForCpu } from './cpu.js';
import { availableGenerator } from './load.js';
import { parseOptions, UsageError } from './options.js';
import { startSimulatorsProcess } from './simulators-process.js';
import { summary } from './stats.js';

/**
 * `npm run bench:ab -- before=path/to/main.js after=dist/main.js`: CPU per merged page of several
 * builds of the gateway, measured in one run with their rounds interleaved (A B C, B C A, ...), so
 * that a change of the machine's speed during the run falls on every build alike. Each build is a
 * bundle made by `npm run build` (copy dist/main.js aside before changing the code). The CPU
 * options of `npm run bench` apply (--cpu-rounds, --cpu-requests, --cpu-warmup, --load).
 *
 * Reported per build: min and median of its rounds, and the median of its per-round ratio to the
 * first build (each ratio taken from rounds measured next to each other).
 *
 * Compare two builds at a time: every gateway stays resident for the whole run, and idle ones still
 * slow the measured one (on a 2-core machine, 1.5 ms per page with two resident, 2.2 ms with eight).
 * The ratio holds either way; the absolute figures are those of `npm run bench` only with two.
 */

const USAGE = `npm run bench:ab -- NAME=BUNDLE NAME=BUNDLE [...] [--cpu-rounds=N] [--cpu-requests=N] [--cpu-warmup=N] [--load=wrk|autocannon]

  NAME=BUNDLE   a label and a bundled gateway (a main.js made by npm run build); the first is the base
`;

interface Variant {
  readonly name: string;
  readonly script: string;
}

function parse(argv: readonly string[]) {
  const variants: Variant[] = [];
  const flags: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith('-')) {
      flags.push(arg);
      continue;
    }
    const at = arg.indexOf('=');
    if (at < 1) throw new UsageError(`expected NAME=BUNDLE, got "${arg}"\n\n${USAGE}`);
    const path = arg.slice(at + 1);
    variants.push({
      name: arg.slice(0, at),
      script: isAbsolute(path) ? path : resolve(process.cwd(), path),
    });
  }
  const options = parseOptions(flags, process.env);
  if (options === 'help' || 'render' in options) return 'help' as const;
  if (variants.length < 2) throw new UsageError(`two builds at least\n\n${USAGE}`);
  return { variants, options };
}

const started = performance.now();
function progress(message: string): void {
  process.stderr.write(
    `[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}\n`,
  );
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (parsed === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const { variants, options } = parsed;
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const simulators = await startSimulatorsProcess({
      iotJobs: options.iotJobs,
      importExportJobs: options.importExportJobs,
    });
    cleanups.push(() => simulators.stop());
    await simulators.setLatency({ iotMs: 0, importExportMs: 0 });
    const ctx: BenchContext = {
      options,
      simulators,
      generator: options.load ?? availableGenerator(),
      notes: [],
      cpuProfileDir: undefined,
      progress,
      onCleanup: (cleanup) => cleanups.push(cleanup),
    };
    const targets: CpuTarget[] = [];
    for (const variant of variants) {
      progress(`${variant.name}: ${variant.script}, warming up`);
      const gateway = await startGateway(ctx, { script: variant.script });
      targets.push(await warmUpForCpu(ctx, gateway));
    }
    const rounds: number[][] = variants.map(() => []);
    for (let round = 0; round < options.cpuRounds; round++) {
      for (let k = 0; k < variants.length; k++) {
        const i = (round + k) % variants.length;
        const measured = await cpuRound(
          ctx,
          targets[i] as CpuTarget,
          procReading((targets[i] as CpuTarget).gateway),
        );
        (rounds[i] as number[]).push(measured.msPerRequest);
        progress(
          `  round ${round + 1}, ${(variants[i] as Variant).name}: ${measured.msPerRequest.toFixed(3)} ms, ${(measured.calls / measured.requests).toFixed(2)} calls/page`,
        );
      }
    }
    const base = rounds[0] as number[];
    const lines = [
      `CPU per merged jobs(first: 20) page, ${options.cpuRounds} interleaved rounds of ${options.cpuRequests} requests at c=${options.cpuConnections} after ${options.cpuWarmup} of warm-up; CPU from /proc, requests from the access log.`,
      '',
      `| build | min ms | median ms | median of per-round ratios to ${(variants[0] as Variant).name} | rounds |`,
      '|---|--:|--:|--:|---|',
    ];
    variants.forEach((variant, i) => {
      const own = rounds[i] as number[];
      const ratios = own.map((ms, r) => ms / (base[r] as number));
      const { min, median } = summary(own);
      lines.push(
        `| ${variant.name} | ${min.toFixed(3)} | ${median.toFixed(3)} | ${summary(ratios).median.toFixed(3)} | ${own.map((ms) => ms.toFixed(3)).join(', ')} |`,
      );
    });
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await Promise.allSettled(cleanups.reverse().map((cleanup) => cleanup()));
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`benchmark harness failed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
