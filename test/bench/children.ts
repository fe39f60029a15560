import { type ChildProcess, fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SIMULATOR_ACCESS_KEY_ID, SIMULATOR_SECRET_ACCESS_KEY } from '../../src/config.js';
import type { BareServerMessage, BareServerReply } from './bare-server.js';

/**
 * The processes under test. The gateway runs as its own process (the bundle in dist/ as
 * `npm start` runs it, or `node --import tsx src/main.ts`), pointed at the simulators' process
 * through its public configuration, so that its CPU and memory are its own and readable from
 * /proc. Its log goes to a pipe the harness drains, as under a process supervisor, and the
 * harness counts its access lines: the requests it answered.
 */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
export const BUNDLED_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const BARE_SERVER = fileURLToPath(new URL('./bare-server.ts', import.meta.url));

export const BENCH_CURSOR_SECRET = 'bench-cursor-secret-not-for-production';
const READY_LINE = /jobs-gateway ready at (\S+)/;

/** `src`: `node --import tsx src/main.ts`; `dist`: the bundle `npm run build` makes, as `npm start` runs it. */
export type GatewayEntry = 'src' | 'dist';

export interface GatewayStartOptions {
  readonly entry: GatewayEntry;
  /** Another program to run in the gateway's place (an absolute path to a JS file), same environment. */
  readonly script?: string | undefined;
  readonly iotEndpoint: string;
  readonly importExportEndpoint: string;
  /** Absolute directory for V8 CPU profiles, written when the gateway exits. */
  readonly cpuProfileDir?: string | undefined;
  /** @default 30000 */
  readonly startTimeoutMs?: number;
  /** More settings of the gateway (Redis, caches), over the benchmark's own. */
  readonly env?: Readonly<Record<string, string>> | undefined;
}

export interface GatewayProcess {
  readonly pid: number;
  /** The GraphQL endpoint from the start-up line. */
  readonly url: string;
  /** From spawn to the start-up line, in ms. */
  readonly readyAfterMs: number;
  /** performance.now() at spawn, for callers that time further steps. */
  readonly spawnedAt: number;
  /** Requests answered so far: the access lines of its log. */
  served(): number;
  /** The last lines the gateway wrote to stderr, for error messages. */
  stderrTail(): string;
  stop(): Promise<void>;
}

/** The environment of a gateway under test: the public variables only, nothing inherited that matters. */
function gatewayEnv(options: GatewayStartOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // Only what a node process needs to run; a developer's own AWS_* or PORT must not leak in.
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return {
    ...env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    UPSTREAMS: 'simulated',
    IOT_ENDPOINT: options.iotEndpoint,
    IMPORT_EXPORT_ENDPOINT: options.importExportEndpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: SIMULATOR_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: SIMULATOR_SECRET_ACCESS_KEY,
    CURSOR_SECRET: BENCH_CURSOR_SECRET,
    // Stop quickly between scenarios: the load is gone by then, nothing is left to finish.
    SHUTDOWN_TIMEOUT_MS: '1000',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...options.env,
  };
}

/** The log's line for each answered request (see useRequestLog). */
const ACCESS_LINE = '"msg":"request"';

export async function startGatewayProcess(options: GatewayStartOptions): Promise<GatewayProcess> {
  const spawnedAt = performance.now();
  const preload = options.entry === 'src' && !options.script ? ['--import', 'tsx'] : [];
  const args = [
    ...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
    ...preload,
    options.script ?? (options.entry === 'src' ? MAIN : BUNDLED_MAIN),
  ];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: gatewayEnv(options),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let served = 0;
  let partial = '';
  const countAccessLines = (chunk: string) => {
    const text = partial + chunk;
    const end = text.lastIndexOf('\n');
    partial = text.slice(end + 1);
    for (let at = text.indexOf(ACCESS_LINE); at !== -1 && at < end;) {
      served++;
      at = text.indexOf(ACCESS_LINE, at + ACCESS_LINE.length);
    }
  };
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the gateway did not start within ${options.startTimeoutMs ?? 30_000} ms`));
    }, options.startTimeoutMs ?? 30_000);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      const match = READY_LINE.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(
          `the gateway exited before it was ready (${signal ?? `code ${code}`}): ${stderr.trim()}`,
        ),
      );
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  const readyAfterMs = performance.now() - spawnedAt;
  // Keep draining stdout (a full pipe would block the gateway's own writes), counting answers.
  child.stdout?.removeAllListeners('data');
  child.stdout?.on('data', countAccessLines);

  return {
    pid: child.pid as number,
    url,
    readyAfterMs,
    spawnedAt,
    served: () => served,
    stderrTail: () => stderr.trim(),
    stop: () => stopChild(child, exited, 'SIGTERM'),
  };
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<void>,
  signal: NodeJS.Signals,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export interface BareServerProcess {
  readonly pid: number;
  readonly url: string;
  /** Serves these bytes, with this content type, to every request from now on. */
  serve(body: Buffer, contentType: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startBareServer(): Promise<BareServerProcess> {
  const child = fork(BARE_SERVER, [], {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = (type: BareServerReply['type']) =>
    new Promise<BareServerReply>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the bare server sent no ${type}`)), 30_000);
      const onMessage = (message: BareServerReply) => {
        if (message.type !== type) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message);
      };
      child.on('message', onMessage);
    });
  const ready = await next('bare:ready');
  if (ready.type !== 'bare:ready') throw new Error('unexpected reply from the bare server');
  return {
    pid: child.pid as number,
    url: `http://127.0.0.1:${ready.port}/graphql`,
    async serve(body, contentType) {
      const done = next('bare:set-done');
      const message: BareServerMessage = {
        type: 'bare:set',
        body: body.toString('base64'),
        contentType,
      };
      child.send(message);
      await done;
    },
    async stop() {
      if (child.connected) {
        const message: BareServerMessage = { type: 'bare:stop' };
        child.send(message);
      }
      await stopChild(child, exited, 'SIGTERM');
    },
  };
}
