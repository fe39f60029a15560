import { Agent, request as httpRequest } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { SIMULATOR_ACCESS_KEY_ID, SIMULATOR_SECRET_ACCESS_KEY } from '../src/config.js';
import { startSimulators } from '../src/simulators/index.js';
import { killGateways, SIMULATOR_KEYS, startGateway } from './gateway-process.js';

/**
 * A rolling restart as a balancer sees it: clients on kept-alive connections keep sending, back
 * to back, while the process gets SIGTERM. Every request sent on an open connection is answered;
 * after the signal the answers close their connections, a new connection is refused (the client
 * goes to another instance), and the process exits as soon as the last answer is out.
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

describe('draining on SIGTERM', () => {
  it('answers every request sent on an open connection, closes each, and exits at once', async () => {
    const credentials = {
      accessKeyId: SIMULATOR_ACCESS_KEY_ID,
      secretAccessKey: SIMULATOR_SECRET_ACCESS_KEY,
    };
    const simulators = await startSimulators({
      data: { seed: 3, iotJobs: 50, importExportJobs: 50 },
      credentials,
    });
    try {
      const { iot, importExport } = simulators;
      if (!iot || !importExport) throw new Error('both simulators should run');
      // Upstream latency keeps requests in flight when the signal comes.
      iot.faults.set({ latencyMs: 20 });
      importExport.faults.set({ latencyMs: 20 });
      const gateway = await startGateway({
        IOT_ENDPOINT: iot.url,
        IMPORT_EXPORT_ENDPOINT: importExport.url,
        LOG_LEVEL: 'warn',
        SHUTDOWN_TIMEOUT_MS: '10000',
        ...SIMULATOR_KEYS,
      });
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
    } finally {
      await simulators.close();
    }
  }, 40_000);
});
