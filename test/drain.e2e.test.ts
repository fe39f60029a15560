import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_ACCESS_KEY_ID, SIMULATOR_SECRET_ACCESS_KEY } from '../src/config.js';
import { IDLE_GRACE_MS } from '../src/http-server.js';
import { type Simulators, startSimulators } from '../src/simulators/index.js';
import { killGateways, SIMULATOR_KEYS, startGateway } from './gateway-process.js';

/**
 * A rolling restart as a balancer sees it: clients on kept-alive connections keep sending, back
 * to back, while the process gets SIGTERM. Every request sent on an open connection is answered;
 * after the signal the answers close their connections, a new connection is refused (the client
 * goes to another instance), and the process exits as soon as the last answer is out. A
 * connection that sits idle is closed a moment after the signal, not when the process ends.
 */

afterAll(killGateways);

const QUERY = JSON.stringify({ query: '{ jobs(first: 3) { edges { node { jobId } } } }' });
const CLIENTS = 20;

interface Outcome {
  answered: number;
  /** The `Connection` header of each client's last answer. */
  lastConnection: string[];
  /** Failures of requests sent on a connection the server had open: resets, hang-ups. */
  failedOnOpenConnection: string[];
  /** New connections refused once the process stopped listening: where a client stops. */
  refused: number;
  lastAnswerAt: number;
}

function send(url: string, agent: Agent): Promise<{ status: number; connection: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(QUERY),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, connection: String(res.headers.connection) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      reject(Object.assign(error, { reused: req.reusedSocket }));
    });
    req.end(QUERY);
  });
}

/**
 * A kept-alive connection that has been answered once and then sends nothing: `closedAt` resolves
 * when the server closes it, `later` holds whatever the server wrote after the first answer.
 */
async function idleConnection(url: string) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let received = '';
  const answered = new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const head = received.indexOf('\r\n\r\n');
      const length = Number(received.match(/content-length: (\d+)/i)?.[1] ?? Number.NaN);
      if (head !== -1 && received.length >= head + 4 + length) resolve();
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('closed before its first answer')));
  });
  socket.write('GET /health HTTP/1.1\r\nHost: gateway\r\n\r\n');
  await answered;
  const first = received;
  expect(first).toMatch(/^HTTP\/1\.1 200 /);
  expect(first).toMatch(/connection: keep-alive/i);
  const closedAt = new Promise<number>((resolve) => {
    socket.once('close', () => resolve(Date.now()));
  });
  return { closedAt, later: () => received.slice(first.length) };
}

describe('draining on SIGTERM', () => {
  let simulators: Simulators;
  beforeAll(async () => {
    simulators = await startSimulators({
      data: { seed: 3, iotJobs: 50, importExportJobs: 50 },
      credentials: {
        accessKeyId: SIMULATOR_ACCESS_KEY_ID,
        secretAccessKey: SIMULATOR_SECRET_ACCESS_KEY,
      },
    });
  });
  afterAll(() => simulators?.close());
  afterEach(() => {
    simulators.iot?.faults.reset();
    simulators.importExport?.faults.reset();
  });

  /** A gateway process on the simulators, given `shutdownMs` for the requests in flight. */
  const gatewayOnSimulators = async (shutdownMs: number) => {
    const { iot, importExport } = simulators;
    if (!iot || !importExport) throw new Error('both simulators should run');
    const gateway = await startGateway({
      IOT_ENDPOINT: iot.url,
      IMPORT_EXPORT_ENDPOINT: importExport.url,
      LOG_LEVEL: 'warn',
      SHUTDOWN_TIMEOUT_MS: String(shutdownMs),
      ...SIMULATOR_KEYS,
    });
    return { gateway, iot, importExport };
  };

  it('closes an idle kept-alive connection within a moment, while a slow request is still answered', async () => {
    const { gateway, iot, importExport } = await gatewayOnSimulators(20_000);
    const idle = await idleConnection(gateway.url);

    // Slow enough that the idle connection's fate shows long before this answer.
    const UPSTREAM_MS = 3000;
    iot.faults.set({ latencyMs: UPSTREAM_MS });
    importExport.faults.set({ latencyMs: UPSTREAM_MS });
    const slow = send(gateway.url, new Agent({ keepAlive: true })).then((answer) => ({
      ...answer,
      at: Date.now(),
    }));
    await expect
      .poll(() => iot.counters.snapshot().inFlight + importExport.counters.snapshot().inFlight, {
        timeout: 10_000,
        interval: 10,
      })
      .toBeGreaterThan(0);

    const signalledAt = Date.now();
    gateway.child.kill('SIGTERM');
    const idleClosedAt = await idle.closedAt;
    const answer = await slow;
    const exit = await gateway.exited;
    console.info(
      `drain: idle connection closed ${idleClosedAt - signalledAt} ms after SIGTERM, the slow answer ${answer.at - signalledAt} ms after`,
    );

    // Closed after the grace for a request on its way, and not left until the process ends
    // (every connection is closed then): the bound is wide for a busy machine, yet far below
    // the slow answer.
    expect(idleClosedAt - signalledAt).toBeLessThan(IDLE_GRACE_MS + 1500);
    expect(idleClosedAt).toBeLessThan(answer.at);
    // Closed without a word: no error answer written on it.
    expect(idle.later()).toBe('');

    expect(answer).toMatchObject({ status: 200, connection: 'close' });
    expect(exit).toEqual({ code: 0, signal: null });
  }, 40_000);

  it('answers every request sent on an open connection, closes each, and exits at once', async () => {
    const { gateway, iot, importExport } = await gatewayOnSimulators(10_000);
    // Upstream latency keeps requests in flight when the signal comes.
    iot.faults.set({ latencyMs: 20 });
    importExport.faults.set({ latencyMs: 20 });
    const outcome: Outcome = {
      answered: 0,
      lastConnection: [],
      failedOnOpenConnection: [],
      refused: 0,
      lastAnswerAt: 0,
    };
    const deadline = Date.now() + 20_000;
    const client = async (_: unknown, index: number) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        while (Date.now() < deadline) {
          try {
            const answer = await send(gateway.url, agent);
            expect(answer.status).toBe(200);
            outcome.answered++;
            outcome.lastAnswerAt = Date.now();
            outcome.lastConnection[index] = answer.connection;
          } catch (error) {
            const { code, reused } = error as NodeJS.ErrnoException & { reused: boolean };
            if (code === 'ECONNREFUSED' && !reused) {
              outcome.refused++;
              return;
            }
            outcome.failedOnOpenConnection.push(`${code} (reused: ${reused})`);
            return;
          }
        }
      } finally {
        agent.destroy();
      }
    };
    const clients = Array.from({ length: CLIENTS }, client);
    await expect.poll(() => outcome.answered, { timeout: 15_000 }).toBeGreaterThan(200);

    const signalledAt = Date.now();
    gateway.child.kill('SIGTERM');
    await Promise.all(clients);
    const exit = await gateway.exited;
    const exitedAt = Date.now();

    expect(exit).toEqual({ code: 0, signal: null });
    expect(outcome.failedOnOpenConnection).toEqual([]);
    // Every client's last answer told it to close, and its next connection was refused.
    expect(outcome.lastConnection).toEqual(Array(CLIENTS).fill('close'));
    expect(outcome.refused).toBe(CLIENTS);
    expect(exitedAt - outcome.lastAnswerAt).toBeLessThan(1000);
    console.info(
      `drain: ${outcome.answered} answers; exit ${exitedAt - signalledAt} ms after SIGTERM, ${exitedAt - outcome.lastAnswerAt} ms after the last answer`,
    );
  }, 40_000);
});
