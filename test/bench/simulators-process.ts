import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SIMULATOR_ACCESS_KEY_ID, SIMULATOR_SECRET_ACCESS_KEY } from '../../src/config.js';
import type { CounterSnapshot } from '../../src/simulators/faults.js';
import { type Simulators, startSimulators } from '../../src/simulators/index.js';

/**
 * The simulated upstreams as a process of their own, so that neither their CPU nor their event
 * loop is shared with the load generator or the harness. The harness sets their latency and reads
 * their request counters over IPC. Run as a child (`fork`) of the benchmark; on its own it does
 * nothing.
 */

export interface UpstreamLatency {
  readonly iotMs: number;
  readonly importExportMs: number;
}

export interface SimulatorCounters {
  readonly iot: CounterSnapshot;
  readonly importExport: CounterSnapshot;
}

type Request =
  | { readonly id: number; readonly op: 'latency'; readonly latency: UpstreamLatency }
  | { readonly id: number; readonly op: 'reset' }
  | { readonly id: number; readonly op: 'counters' }
  | { readonly id: number; readonly op: 'stop' };

type Reply =
  | { readonly type: 'ready'; readonly iotUrl: string; readonly importExportUrl: string }
  | { readonly type: 'done'; readonly id: number; readonly counters?: SimulatorCounters };

export interface SimulatorsProcess {
  readonly pid: number;
  readonly iotUrl: string;
  readonly importExportUrl: string;
  setLatency(latency: UpstreamLatency): Promise<void>;
  resetCounters(): Promise<void>;
  counters(): Promise<SimulatorCounters>;
  stop(): Promise<void>;
}

export interface SimulatorsProcessOptions {
  readonly iotJobs: number;
  readonly importExportJobs: number;
}

const SELF = fileURLToPath(import.meta.url);

export async function startSimulatorsProcess(
  options: SimulatorsProcessOptions,
): Promise<SimulatorsProcess> {
  const child = fork(SELF, [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pending = new Map<number, (reply: Reply & { type: 'done' }) => void>();
  let nextId = 1;
  const ready = new Promise<Reply & { type: 'ready' }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the simulators did not start')), 30_000);
    child.on('message', (message: Reply) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message);
      } else pending.get(message.id)?.(message);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the simulators exited (code ${code})`));
    });
  });
  const { iotUrl, importExportUrl } = await ready;
  type Ask = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;
  const ask = (request: Ask) =>
    new Promise<Reply & { type: 'done' }>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(
        () => reject(new Error(`the simulators did not answer ${request.op}`)),
        10_000,
      );
      pending.set(id, (reply) => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(reply);
      });
      child.send({ ...request, id } as Request);
    });
  return {
    pid: child.pid as number,
    iotUrl,
    importExportUrl,
    setLatency: async (latency) => {
      await ask({ op: 'latency', latency });
    },
    resetCounters: async () => {
      await ask({ op: 'reset' });
    },
    counters: async () => (await ask({ op: 'counters' })).counters as SimulatorCounters,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ op: 'stop', id: 0 } satisfies Request);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Both simulators, in the calling process, on the benchmark's data set. */
export function startBenchSimulators(
  options: Pick<SimulatorsProcessOptions, 'iotJobs' | 'importExportJobs'>,
): Promise<Simulators> {
  return startSimulators({
    data: { seed: 42, iotJobs: options.iotJobs, importExportJobs: options.importExportJobs },
    credentials: {
      accessKeyId: SIMULATOR_ACCESS_KEY_ID,
      secretAccessKey: SIMULATOR_SECRET_ACCESS_KEY,
    },
    host: '127.0.0.1',
  });
}

async function serve(options: SimulatorsProcessOptions): Promise<void> {
  const simulators = await startBenchSimulators(options);
  const { iot, importExport } = simulators;
  if (!iot || !importExport) throw new Error('both simulators must run');
  const send = (reply: Reply) => process.send?.(reply);
  process.on('message', (message: Request) => {
    if (message.op === 'latency') {
      iot.faults.set({ latencyMs: message.latency.iotMs });
      importExport.faults.set({ latencyMs: message.latency.importExportMs });
      send({ type: 'done', id: message.id });
    } else if (message.op === 'reset') {
      iot.counters.reset();
      importExport.counters.reset();
      send({ type: 'done', id: message.id });
    } else if (message.op === 'counters') {
      send({
        type: 'done',
        id: message.id,
        counters: { iot: iot.counters.snapshot(), importExport: importExport.counters.snapshot() },
      });
    } else if (message.op === 'stop') {
      simulators.close().finally(() => process.exit(0));
    }
  });
  // A benchmark that dies takes its simulators with it.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', iotUrl: iot.url, importExportUrl: importExport.url });
}

if (process.argv[1] === SELF && typeof process.send === 'function') {
  serve(JSON.parse(process.argv[2] ?? '{}') as SimulatorsProcessOptions).catch((error: unknown) => {
    process.stderr.write(`simulators: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
