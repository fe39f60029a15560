import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SIMULATOR_ACCESS_KEY_ID, SIMULATOR_SECRET_ACCESS_KEY } from '../src/config.js';

/**
 * The gateway as its own process, as `npm start` runs it (from the sources), for the tests of
 * start-up, signals and what only a whole process shows (memory, the real listening sockets).
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));

// Only what a shell would give the process: no AWS settings or ports leak in from the test run.
export const BASE_ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: process.env.HOME ?? '/tmp',
  HOST: '127.0.0.1',
  PORT: '0',
  SIMULATOR_IOT_JOBS: '40',
  SIMULATOR_IMPORT_EXPORT_JOBS: '30',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_EC2_METADATA_DISABLED: 'true',
};

export const SIMULATOR_KEYS = {
  AWS_ACCESS_KEY_ID: SIMULATOR_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY: SIMULATOR_SECRET_ACCESS_KEY,
};

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface GatewayProcess {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  readonly exited: Promise<Exit>;
  /** Resolves with the first stdout line matching `pattern`; rejects if the process ends first. */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

const running = new Set<ChildProcess>();

/** Kills every gateway still running; for afterAll, so that a failed assertion leaves none behind. */
export function killGateways(): void {
  for (const child of running) child.kill('SIGKILL');
}

export function spawnGateway(env: Record<string, string>): GatewayProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...BASE_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: (() => void)[] = [];
  const collect = (into: string[]) => {
    let pending = '';
    return (chunk: Buffer) => {
      const parts = (pending + chunk.toString('utf8')).split('\n');
      pending = parts.pop() ?? '';
      into.push(...parts);
      for (const wake of waiters) wake();
    };
  };
  child.stdout?.on('data', collect(stdout));
  child.stderr?.on('data', collect(stderr));
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });

  const line = (pattern: RegExp, timeoutMs = 15_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = stdout.find((l) => pattern.test(l));
        if (found !== undefined) {
          clearTimeout(timer);
          resolve(found);
        }
      };
      const fail = (why: string) =>
        reject(
          new Error(
            `${why}; waiting for ${pattern}\nstdout:\n${stdout.join('\n')}\nstderr:\n${stderr.join('\n')}`,
          ),
        );
      const timer = setTimeout(() => fail('timed out'), timeoutMs);
      waiters.push(check);
      exited.then((exit) => {
        check();
        fail(`process exited (${exit.code ?? exit.signal})`);
      });
      check();
    });

  return { child, stdout, stderr, exited, line };
}

/** Starts the process and reads the API URL (the real port, PORT=0 included) from its start-up line. */
export async function startGateway(env: Record<string, string> = {}) {
  const gateway = spawnGateway(env);
  const ready = await gateway.line(/ready at http:\/\/\S+\/graphql/);
  const url = ready.match(/(http:\/\/127\.0\.0\.1:(\d+)\/graphql)/);
  if (!url?.[1] || Number(url[2]) === 0) throw new Error(`no real port in "${ready}"`);
  const upstreams = await gateway.line(/^upstreams: /);
  return { ...gateway, url: url[1], base: url[1].replace(/\/graphql$/, ''), ready, upstreams };
}
