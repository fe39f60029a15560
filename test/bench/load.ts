import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readChildrenCpuMs } from './proc-stats.js';
import type { Correctness } from './report.js';

/**
 * Closed-loop load from a process of its own: `connections` clients, each sending its next
 * request as soon as the previous answer arrives. wrk (Debian's `wrk`) when it is installed, the
 * most efficient generator on a small machine; otherwise autocannon, run by autocannon-runner.ts in
 * a child process. Either way the generator never shares a process, an event loop or a core's
 * time slice accounting with what it measures, and every answer is checked: its status, any
 * `errors` of a GraphQL answer, and its bytes against the reference answer.
 */

export interface LoadRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Several bodies, sent in turn, so that the requests in flight at once all differ. */
  readonly bodies?: readonly string[];
}

/**
 * What a right answer is: these exact bytes, or (where answers carry upstream tokens that differ
 * every time) a text it contains, and its length.
 */
export type Expectation =
  { readonly body: string } | { readonly contains: string; readonly length?: number };

export interface LoadOptions {
  readonly connections: number;
  /**
   * The length of the window. With `amount` or `expectedRps`, a bound only: a counted window that
   * takes three times longer than this is cut off.
   */
  readonly seconds: number;
  /**
   * The rate seen in the warm-up. Given it, the window is a fixed number of requests (rate ×
   * seconds), so that upstream calls divide exactly by queries.
   */
  readonly expectedRps?: number;
  /** A fixed number of requests in all, whatever the rate (wins over `expectedRps`). */
  readonly amount?: number;
  /** A GraphQL answer: any `errors` key counts against it. */
  readonly graphql?: boolean;
  readonly expect?: Expectation;
}

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Responses, failures and checks of one window, as the report records them. */
export interface LoadResult extends Correctness {
  readonly connections: number;
  /** Wall time of the window, in s. */
  readonly seconds: number;
  readonly rps: number;
  /** Of all answers, in ms. */
  readonly latency: LatencySummary;
  /** The load generator's own CPU, as a share of one core. */
  readonly generatorCpuPercent: number;
}

export type LoadGenerator = 'wrk' | 'autocannon';

const WRK_SCRIPT = fileURLToPath(new URL('./wrk.lua', import.meta.url));
const AUTOCANNON_RUNNER = fileURLToPath(new URL('./autocannon-runner.ts', import.meta.url));

/** wrk when it runs here, else autocannon. */
export function availableGenerator(): LoadGenerator {
  const probe = spawnSync('wrk', ['--version'], { stdio: 'ignore' });
  return probe.error ? 'autocannon' : 'wrk';
}

export function describeGenerator(generator: LoadGenerator): string {
  return generator === 'wrk'
    ? 'wrk 4 (one thread, closed loop, keep-alive), a process of its own'
    : 'autocannon 9 (closed loop, keep-alive), a process of its own';
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: Float64Array | readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

function countOf(options: LoadOptions): number | undefined {
  if (options.amount !== undefined) return options.amount;
  if (options.expectedRps === undefined || !Number.isFinite(options.expectedRps)) return undefined;
  // At least one request per connection, or the window would never reach its concurrency.
  return Math.max(options.connections, Math.round(options.expectedRps * options.seconds));
}

export async function runLoad(
  generator: LoadGenerator,
  request: LoadRequest,
  options: LoadOptions,
): Promise<LoadResult> {
  return generator === 'wrk' ? runWrk(request, options) : runAutocannon(request, options);
}

/** What a child generator reports, before it becomes a LoadResult. */
interface ChildResult {
  readonly durationUs: number;
  readonly responses: number;
  readonly non2xx: number;
  readonly wrong: number;
  readonly graphqlErrors: number;
  readonly connectionErrors: number;
  readonly timeouts: number;
  readonly latencyUs: LatencySummary;
  readonly firstFailure: string;
}

async function runWrk(request: LoadRequest, options: LoadOptions): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'jobs-gateway-bench-'));
  try {
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const count = countOf(options);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      BENCH_METHOD: request.method,
      BENCH_BODY_FILE: request.body !== undefined ? file('body', request.body) : '',
      BENCH_BODIES_FILE: request.bodies ? file('bodies', request.bodies.join('\0')) : '',
      BENCH_HEADERS_FILE: file(
        'headers',
        Object.entries(request.headers)
          .map(([name, value]) => `${name}\t${value}\n`)
          .join(''),
      ),
      BENCH_MAX: String(count ?? 0),
      BENCH_EXPECT_FILE:
        options.expect && 'body' in options.expect ? file('expect', options.expect.body) : '',
      BENCH_CONTAINS: options.expect && 'contains' in options.expect ? options.expect.contains : '',
      BENCH_LENGTH:
        options.expect && 'length' in options.expect ? String(options.expect.length ?? '') : '',
      BENCH_GRAPHQL: options.graphql ? '1' : '0',
    };
    const seconds = count !== undefined ? options.seconds * 3 + 5 : options.seconds;
    const args = [
      '-t1',
      `-c${options.connections}`,
      `-d${Math.max(1, Math.ceil(seconds))}s`,
      '--timeout',
      '30s',
      '-s',
      WRK_SCRIPT,
      request.url,
    ];
    const { stdout, cpuMs } = await runChild('wrk', args, env);
    const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
    if (!line) throw new Error(`wrk gave no result: ${stdout.slice(-500)}`);
    const raw = JSON.parse(line.slice('BENCH_RESULT '.length)) as {
      durationUs: number;
      responses: number;
      non2xx: number;
      wrong: number;
      graphqlErrors: number;
      connectErrors: number;
      readErrors: number;
      writeErrors: number;
      timeouts: number;
      latencyUs: LatencySummary;
      firstFailure: string;
    };
    return toLoadResult(
      {
        ...raw,
        connectionErrors: raw.connectErrors + raw.readErrors + raw.writeErrors,
      },
      options,
      cpuMs,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The arguments autocannon-runner.ts takes, as JSON. */
export interface AutocannonJob {
  readonly request: LoadRequest;
  readonly connections: number;
  readonly seconds: number;
  readonly amount?: number;
  readonly graphql: boolean;
  readonly expect?: Expectation;
}

async function runAutocannon(request: LoadRequest, options: LoadOptions): Promise<LoadResult> {
  const count = countOf(options);
  const job: AutocannonJob = {
    request,
    connections: options.connections,
    seconds: options.seconds,
    ...(count !== undefined ? { amount: count } : {}),
    graphql: options.graphql ?? false,
    ...(options.expect ? { expect: options.expect } : {}),
  };
  const { stdout, cpuMs } = await runChild(
    process.execPath,
    ['--import', 'tsx', AUTOCANNON_RUNNER],
    process.env,
    JSON.stringify(job),
  );
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) throw new Error(`autocannon gave no result: ${stdout.slice(-500)}`);
  return toLoadResult(
    JSON.parse(line.slice('BENCH_RESULT '.length)) as ChildResult,
    options,
    cpuMs,
  );
}

function toLoadResult(raw: ChildResult, options: LoadOptions, cpuMs: number): LoadResult {
  const seconds = raw.durationUs / 1e6;
  const ms = (us: number) => us / 1000;
  return {
    connections: options.connections,
    seconds,
    rps: raw.responses / seconds,
    latency: {
      p50: ms(raw.latencyUs.p50),
      p90: ms(raw.latencyUs.p90),
      p99: ms(raw.latencyUs.p99),
      max: ms(raw.latencyUs.max),
      mean: ms(raw.latencyUs.mean),
    },
    responses: raw.responses,
    non2xx: raw.non2xx,
    connectionErrors: raw.connectionErrors,
    timeouts: raw.timeouts,
    graphqlErrors: raw.graphqlErrors,
    checked: raw.responses - raw.non2xx,
    wrong: raw.wrong,
    firstFailure: raw.firstFailure === '' ? undefined : raw.firstFailure,
    generatorCpuPercent: (cpuMs / (seconds * 1000)) * 100,
  };
}

/** Runs a generator to its end: its output, and the CPU it used (from its exit accounting). */
function runChild(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  input?: string,
): Promise<{ stdout: string; cpuMs: number }> {
  return new Promise((resolve, reject) => {
    const before = readChildrenCpuMs() ?? 0;
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) {
        reject(new Error(`${command} exited with ${code}: ${stderr.trim() || stdout.slice(-500)}`));
        return;
      }
      // Only this child was reaped meanwhile: the servers under test live until the run ends.
      resolve({ stdout, cpuMs: (readChildrenCpuMs() ?? 0) - before });
    });
    child.stdin.end(input ?? '');
  });
}
