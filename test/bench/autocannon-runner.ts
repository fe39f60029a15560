import autocannon from 'autocannon';
import type { AutocannonJob } from './load.js';

/**
 * The load generator where wrk is not installed: autocannon in a process of its own, driven by a
 * job on stdin (see load.ts), answering with the same `BENCH_RESULT` line as test/bench/wrk.lua.
 * Latencies are taken from every response event as floats: autocannon's own histogram rounds to
 * whole milliseconds, too coarse for a 3 ms budget.
 */

async function readJob(): Promise<AutocannonJob> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return JSON.parse(text) as AutocannonJob;
}

async function main(): Promise<void> {
  const job = await readJob();
  const expected = job.expect && 'body' in job.expect ? job.expect.body : undefined;
  const contains = job.expect && 'contains' in job.expect ? job.expect.contains : undefined;
  const length = job.expect && 'length' in job.expect ? job.expect.length : undefined;
  const bodies = job.request.bodies ?? [];
  let turn = 0;
  let latencies = new Float64Array(16_384);
  let recorded = 0;
  let responses = 0;
  let non2xx = 0;
  let wrong = 0;
  let graphqlErrors = 0;
  let firstFailure = '';
  const fail = (text: string) => {
    if (firstFailure === '') firstFailure = text.slice(0, 300);
  };
  const started = performance.now();
  const instance = autocannon({
    url: job.request.url,
    method: job.request.method,
    headers: { ...job.request.headers },
    ...(job.request.body !== undefined ? { body: job.request.body } : {}),
    // Several bodies go out in turn across all connections, as wrk.lua sends them.
    ...(job.request.bodies
      ? {
          requests: [
            {
              setupRequest: (request: Record<string, unknown>) => ({
                ...request,
                body: bodies[turn++ % bodies.length],
              }),
            },
          ],
        }
      : {}),
    connections: job.connections,
    ...(job.amount !== undefined ? { amount: job.amount } : { duration: job.seconds }),
    sampleInt: 100,
    timeout: 30,
    verifyBody: (body: string) => {
      // `"errors":` can only be a key: inside a JSON string its quotes would be escaped.
      if (job.graphql && body.includes('"errors":')) {
        graphqlErrors++;
        fail(`errors in answer: ${body}`);
      }
      if (expected !== undefined && body !== expected) {
        wrong++;
        fail(`not the bytes of the reference answer: ${body}`);
      } else if (contains !== undefined && !body.includes(contains)) {
        wrong++;
        fail(`answer without ${contains}: ${body}`);
      } else if (length !== undefined && Buffer.byteLength(body) !== length) {
        wrong++;
        fail(`answer of ${Buffer.byteLength(body)} bytes, not ${length}: ${body}`);
      }
      return true;
    },
  });
  // A counted window on a server that slowed down must still end: cut it off at 3× its length.
  const watchdog =
    job.amount !== undefined
      ? setTimeout(() => instance.stop(), job.seconds * 3000 + 5000)
      : undefined;
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    responses++;
    if (status < 200 || status > 299) {
      non2xx++;
      fail(`HTTP ${status}`);
    }
    if (recorded === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[recorded++] = ms;
  });
  const result = await instance;
  clearTimeout(watchdog);
  const durationUs = (performance.now() - started) * 1000;
  const sorted = latencies.subarray(0, recorded).sort();
  const at = (p: number) =>
    recorded === 0
      ? 0
      : (sorted[Math.min(recorded - 1, Math.ceil((p / 100) * recorded) - 1)] as number);
  let sum = 0;
  for (const value of sorted) sum += value;
  const us = (ms: number) => Math.round(ms * 1000);
  const line = {
    durationUs,
    responses,
    non2xx,
    wrong,
    graphqlErrors,
    // autocannon counts a timeout as an error too.
    connectionErrors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    latencyUs: {
      p50: us(at(50)),
      p90: us(at(90)),
      p99: us(at(99)),
      max: us(recorded > 0 ? (sorted[recorded - 1] as number) : 0),
      mean: recorded > 0 ? us(sum / recorded) : 0,
    },
    firstFailure,
  };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(line)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`autocannon runner: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
