import { print } from 'graphql';
import { setTimeout as delay } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultSettings } from '../src/simulators/faults.js';
import { captureLogs, startStack } from './harness.js';
import { JobsPage } from './operations.js';
import { SECRETS } from './secrets.js';

/**
 * Each fault mode of each upstream under concurrent load, the other upstream healthy: every
 * answer well formed and in time, nothing left in flight, no unhandled rejection, memory back
 * where it was, and no credential in any response or log line.
 */

const REQUESTS = 200;
const CONCURRENCY = 20;
const REQUEST_DEADLINE_MS = 2000;
const SLACK_MS = 500;

const MODES: [string, Partial<FaultSettings>, string][] = [
  ['5xx', { errorRate: 1 }, 'UPSTREAM_UNAVAILABLE'],
  ['throttling', { throttleRate: 1 }, 'UPSTREAM_THROTTLED'],
  ['malformed body', { malformedRate: 1 }, 'UPSTREAM_BAD_RESPONSE'],
  ['hang', { hang: true }, 'UPSTREAM_TIMEOUT'],
  ['half failing', { errorRate: 0.5, latencyMs: 5 }, 'UPSTREAM_UNAVAILABLE'],
];

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

let unhandled = 0;
const onUnhandled = () => {
  unhandled++;
};
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

const logs = captureLogs('debug');
const responses: string[] = [];
const stats: Record<string, { p50: number; max: number; breakerRejections: number }> = {};

describe('faults under load', () => {
  for (const failing of ['IOT', 'IMPORT_EXPORT'] as const) {
    for (const [mode, faults, code] of MODES) {
      it(`${failing} ${mode}: ${REQUESTS} requests, ${CONCURRENCY} at a time`, async () => {
        const stack = await startStack({
          iotJobs: 100,
          importExportJobs: 100,
          logger: logs.logger,
          sessionToken: SECRETS.sessionToken,
          requestTimeoutMs: REQUEST_DEADLINE_MS,
          upstreamTimeoutMs: 800,
          breaker: { minimumCalls: 10, windowSize: 20, errorThreshold: 0.5, resetTimeoutMs: 200 },
        });
        try {
          const simulator =
            failing === 'IOT' ? stack.simulators.iot : stack.simulators.importExport;
          const healthy = failing === 'IOT' ? 'IMPORT_EXPORT' : 'IOT';
          // Warm up, then take the baseline.
          for (let i = 0; i < 20; i++) await stack.query(JobsPage, { first: 10 });
          const heapBefore = heapAfterGc();
          simulator?.faults.set(faults);

          const durations: number[] = [];
          let breakerRejections = 0;
          let next = 0;
          const worker = async () => {
            while (next < REQUESTS) {
              next++;
              const started = performance.now();
              const response = await fetch(stack.url, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ query: print(JobsPage), variables: { first: 10 } }),
              });
              const text = await response.text();
              durations.push(performance.now() - started);
              responses.push(text);
              expect(response.status).toBe(200);
              const body = JSON.parse(text);
              const jobs = body.data.jobs;
              expect(jobs.edges).toHaveLength(10);
              if (body.errors) {
                expect(jobs.unavailableSources).toEqual([failing]);
                for (const edge of jobs.edges) expect(edge.node.source).toBe(healthy);
                expect(body.errors).toHaveLength(1);
                const error = body.errors[0];
                expect(error.path).toEqual(['jobs']);
                expect(error.extensions.source).toBe(failing);
                // Once the breaker is open, calls fail fast as unavailable.
                expect([code, 'UPSTREAM_UNAVAILABLE']).toContain(error.extensions.code);
                if (error.extensions.code !== code) breakerRejections++;
              } else {
                // Only a partly failing upstream may let a request through whole.
                expect(faults.errorRate).toBeLessThan(1);
                expect(jobs.unavailableSources).toEqual([]);
              }
            }
          };
          await Promise.all(Array.from({ length: CONCURRENCY }, worker));

          expect(durations).toHaveLength(REQUESTS);
          const sorted = [...durations].sort((a, b) => a - b);
          const max = sorted.at(-1) ?? 0;
          expect(max).toBeLessThanOrEqual(REQUEST_DEADLINE_MS + SLACK_MS);
          stats[`${failing} ${mode}`] = {
            p50: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
            max: Math.round(max),
            breakerRejections,
          };

          // Nothing left in flight on either upstream once every answer is in.
          simulator?.faults.reset();
          const deadline = Date.now() + 3000;
          while (
            (stack.simulators.iot?.counters.snapshot().inFlight ?? 0) +
              (stack.simulators.importExport?.counters.snapshot().inFlight ?? 0) >
            0
          ) {
            if (Date.now() > deadline) throw new Error('upstream requests left in flight');
            await delay(20);
          }
          const heapAfter = heapAfterGc();
          expect(heapAfter).toBeLessThanOrEqual(heapBefore * 1.2 + 8 * 1024 * 1024);
          expect(unhandled).toBe(0);
        } finally {
          await stack.close();
        }
      });
    }
  }

  it('leaked no credential into any response or log line', () => {
    expect(responses.length).toBe(REQUESTS * MODES.length * 2);
    const everything = responses.join('\n') + logs.text();
    for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(
      /authorization|x-amz-security-token|AWS4-HMAC-SHA256|Signature=/i,
    );
    // The logs did record the failures, each with its request id.
    const failures = logs
      .text()
      .split('\n')
      .filter((line) => line.includes('upstream call failed'));
    expect(failures.length).toBeGreaterThan(0);
    for (const line of failures.slice(0, 50))
      expect(JSON.parse(line).requestId).toBeTypeOf('string');
    console.info('fault-load figures (ms):', JSON.stringify(stats));
  });
});
