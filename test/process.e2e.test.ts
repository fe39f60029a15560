import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, it } from 'vitest';
import { SIMULATOR_ACCESS_KEY_ID, SIMULATOR_SECRET_ACCESS_KEY } from '../src/config.js';
import { type Simulators, startSimulators } from '../src/simulators/index.js';
import { killGateways, SIMULATOR_KEYS, spawnGateway, startGateway } from './gateway-process.js';
import { raw } from './raw-http.js';

/**
 * The real process, as `npm start` runs it: start-up line, HTTP, health and readiness, explicit
 * endpoints, graceful shutdown on SIGTERM, and how it refuses bad configuration.
 */

afterAll(killGateways);

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

/** One request on a connection of its own, so that no pooled socket hides a refused connection. */
function send(
  url: string,
  options: { method?: string; body?: string; accept?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = options.body;
    const req = httpRequest(
      url,
      {
        method: options.method ?? (body ? 'POST' : 'GET'),
        agent: false,
        headers: {
          accept: options.accept ?? 'application/json',
          ...(body
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const JOBS_QUERY = JSON.stringify({
  query: '{ jobs(first: 4) { edges { node { jobId source } } unavailableSources } }',
});

interface JobsAnswer {
  data?: { jobs: { edges: { node: { jobId: string; source: string } }[] } };
  errors?: unknown[];
}

/**
 * A port nothing listens on, and nothing will while the test runs: below the kernel's range of
 * ports for `listen(0)`, so no server of a test running beside this one can be given it.
 */
async function closedPort(): Promise<number> {
  let low = 32768;
  try {
    low = Number(
      (await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')).split(/\s+/)[0],
    );
  } catch {
    // Not Linux: the usual start of the range.
  }
  if (!Number.isFinite(low) || low <= 10_001) low = 32768;
  for (let tries = 0; tries < 50; tries++) {
    const port = 10_000 + Math.floor(Math.random() * Math.max(1, low - 10_000));
    if (await connectionRefused('127.0.0.1', port)) return port;
  }
  throw new Error('no closed port found below the ephemeral range');
}

function connectionRefused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe.concurrent('the gateway process', () => {
  it('says where GraphiQL is and which upstreams it uses, then serves', async ({ expect }) => {
    const gateway = await startGateway();
    try {
      expect(gateway.ready).toMatch(/GraphiQL/);
      expect(gateway.upstreams).toMatch(/IoT simulated at http:\/\/127\.0\.0\.1:\d+/);
      expect(gateway.upstreams).toMatch(/Import\/Export simulated at http:\/\/127\.0\.0\.1:\d+/);

      const page = await send(gateway.url, { accept: 'text/html' });
      expect(page.status).toBe(200);
      expect(page.contentType).toMatch(/^text\/html/);

      const answer = await send(gateway.url, { body: JOBS_QUERY });
      expect(answer.status).toBe(200);
      const result = JSON.parse(answer.text) as JobsAnswer;
      expect(result.errors).toBeUndefined();
      expect(result.data?.jobs.edges).toHaveLength(4);

      expect((await send(`${gateway.base}/health`)).status).toBe(200);
      const ready = await send(`${gateway.base}/ready`);
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.text)).toMatchObject({
        ready: true,
        upstreams: { 'IOT:us-east-1': { state: 'ok' }, IMPORT_EXPORT: { state: 'ok' } },
      });
    } finally {
      gateway.child.kill('SIGTERM');
    }
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
  });

  it('warns that /subgraph takes any document when PERSISTED_DOCUMENTS=required; SUBGRAPH=false closes it', async ({
    expect,
  }) => {
    const manifest = fileURLToPath(new URL('./gql/persisted-documents.json', import.meta.url));
    const required = { PERSISTED_DOCUMENTS: 'required', PERSISTED_DOCUMENTS_MANIFEST: manifest };
    const [open, closed] = await Promise.all([
      startGateway(required),
      startGateway({ ...required, SUBGRAPH: 'false' }),
    ]);
    try {
      const text = { body: JSON.stringify({ query: '{ _service { sdl } }' }) };
      const openSubgraph = await send(`${open.base}/subgraph`, text);
      expect(openSubgraph.status).toBe(200);
      expect(open.stderr.join('\n')).toMatch(/\/subgraph takes any document.*SUBGRAPH=false/);

      expect((await send(`${closed.base}/subgraph`, text)).status).toBe(404);
      expect(closed.stderr.join('\n')).not.toMatch(/subgraph/);
    } finally {
      open.child.kill('SIGTERM');
      closed.child.kill('SIGTERM');
    }
  });

  it('talks to an explicit IOT_ENDPOINT instead of a simulator, and /ready names IOT when it is down', async ({
    expect,
  }) => {
    const port = await closedPort();
    const endpoint = `http://127.0.0.1:${port}`;
    const gateway = await startGateway({
      UPSTREAMS: 'simulated',
      IOT_ENDPOINT: endpoint,
      ...SIMULATOR_KEYS,
    });
    try {
      expect(gateway.upstreams).toContain(`IoT at ${endpoint}`);
      expect(gateway.upstreams).not.toMatch(/IoT simulated/);
      expect(gateway.upstreams).toMatch(/Import\/Export simulated at/);

      expect((await send(`${gateway.base}/health`)).status).toBe(200);
      const ready = await send(`${gateway.base}/ready`);
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.text)).toMatchObject({
        ready: false,
        upstreams: {
          'IOT:us-east-1': { state: 'unavailable' },
          IMPORT_EXPORT: { state: 'ok' },
        },
      });
    } finally {
      gateway.child.kill('SIGTERM');
    }
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
  });

  it('on SIGTERM finishes the request in flight, refuses new connections and exits 0', async ({
    expect,
  }) => {
    let simulators: Simulators | undefined;
    try {
      simulators = await startSimulators({
        data: { seed: 42, iotJobs: 30, importExportJobs: 20 },
        credentials: {
          accessKeyId: SIMULATOR_ACCESS_KEY_ID,
          secretAccessKey: SIMULATOR_SECRET_ACCESS_KEY,
        },
      });
      const { iot, importExport } = simulators;
      if (!iot || !importExport) throw new Error('both simulators should run');
      const gateway = await startGateway({
        IOT_ENDPOINT: iot.url,
        IMPORT_EXPORT_ENDPOINT: importExport.url,
        ...SIMULATOR_KEYS,
      });
      expect(gateway.upstreams).not.toMatch(/simulated/);
      iot.faults.set({ latencyMs: 3000 });
      importExport.faults.set({ latencyMs: 3000 });

      let settled = false;
      const slow = send(gateway.url, { body: JOBS_QUERY }).finally(() => {
        settled = true;
      });
      // Signal only once the request has reached an upstream: it is truly in flight.
      await expect
        .poll(() => iot.counters.snapshot().inFlight + importExport.counters.snapshot().inFlight, {
          timeout: 5000,
          interval: 10,
        })
        .toBeGreaterThan(0);
      gateway.child.kill('SIGTERM');
      await gateway.line(/SIGTERM received/);

      const port = Number(new URL(gateway.url).port);
      expect(await connectionRefused('127.0.0.1', port)).toBe(true);
      expect(settled).toBe(false);

      const answer = await slow;
      expect(answer.status).toBe(200);
      const result = JSON.parse(answer.text) as JobsAnswer;
      expect(result.errors).toBeUndefined();
      expect(result.data?.jobs.edges).toHaveLength(4);
      expect(await gateway.exited).toEqual({ code: 0, signal: null });
    } finally {
      await simulators?.close();
    }
  });

  it('cuts slow headers at CLIENT_HEADERS_TIMEOUT_MS and a slow body at CLIENT_BODY_TIMEOUT_MS more, with a coded 408', async ({
    expect,
  }) => {
    // Far below the defaults (10 s each), which a setting lost on its way to the server would
    // leave in force.
    const HEADERS_MS = 300;
    const BODY_MS = 500;
    const gateway = await startGateway({
      CLIENT_HEADERS_TIMEOUT_MS: String(HEADERS_MS),
      CLIENT_BODY_TIMEOUT_MS: String(BODY_MS),
    });
    try {
      const head =
        'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n';
      const [headers, body] = await Promise.all([
        // A header line every 100 ms for 12 s, never the end of the headers.
        raw(gateway.url, [
          'POST /graphql HTTP/1.1\r\nHost: x\r\n',
          ...Array.from({ length: 120 }, (_, i) => [100, `X-Slow-${i}: 1\r\n`]).flat(),
        ]),
        // The headers at once, then a byte of the body every 200 ms for 12 s, never all of it.
        raw(gateway.url, [head, ...Array.from({ length: 60 }, () => [200, ' ']).flat()]),
      ]);
      for (const answer of [headers, body]) {
        expect(answer.status).toBe(408);
        expect(answer.head).toMatch(/content-type: application\/json/i);
        expect(JSON.parse(answer.body)).toMatchObject({
          errors: [{ extensions: { code: 'REQUEST_TIMEOUT' } }],
        });
      }
      // The headers' limit counts from the request's first byte; the body has the second limit
      // more, so the whole request is due at the sum. The upper bounds leave a busy machine
      // seconds, and are still far below the defaults.
      expect(headers.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_MS - 50);
      expect(headers.closedAfterMs).toBeLessThan(HEADERS_MS + 3000);
      expect(body.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_MS + BODY_MS - 50);
      expect(body.closedAfterMs).toBeLessThan(HEADERS_MS + BODY_MS + 3000);
    } finally {
      gateway.child.kill('SIGTERM');
    }
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
  }, 40_000);

  it('simulates one IoT region per IOT_REGIONS entry, each with its own data', async ({
    expect,
  }) => {
    const gateway = await startGateway({ IOT_REGIONS: 'eu-west-1,ap-southeast-2' });
    try {
      expect(gateway.upstreams).toMatch(
        /IoT simulated at http:\/\/127\.0\.0\.1:\d+ \(eu-west-1\); IoT simulated at http:\/\/127\.0\.0\.1:\d+ \(ap-southeast-2\)/,
      );
      const answer = await send(gateway.url, {
        body: JSON.stringify({
          query:
            '{ jobs(first: 100, sources: [IOT]) { edges { node { ... on IotJob { region } } } } }',
        }),
      });
      const regions = new Set(
        (
          JSON.parse(answer.text) as { data: { jobs: { edges: { node: { region: string } }[] } } }
        ).data.jobs.edges.map((e) => e.node.region),
      );
      expect([...regions].sort()).toEqual(['ap-southeast-2', 'eu-west-1']);
    } finally {
      gateway.child.kill('SIGTERM');
    }
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
  });

  const badValues: [string, Record<string, string>, string][] = [
    ['PORT=abc', { PORT: 'abc' }, 'PORT'],
    ['PORT=70000', { PORT: '70000' }, 'PORT'],
    ['UPSTREAMS=mars', { UPSTREAMS: 'mars' }, 'UPSTREAMS'],
    ['IOT_ENDPOINT=ftp://x', { IOT_ENDPOINT: 'ftp://x' }, 'IOT_ENDPOINT'],
    ['IOT_ENDPOINT=not a url', { IOT_ENDPOINT: 'not a url' }, 'IOT_ENDPOINT'],
    ['AWS_REGION=Mars', { AWS_REGION: 'Mars' }, 'AWS_REGION'],
    ['CURSOR_SECRET=short', { CURSOR_SECRET: 'short' }, 'CURSOR_SECRET'],
    ['LOG_LEVEL=loud', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    ['UPSTREAM_TIMEOUT_MS=-1', { UPSTREAM_TIMEOUT_MS: '-1' }, 'UPSTREAM_TIMEOUT_MS'],
    ['GRAPHIQL=maybe', { GRAPHIQL: 'maybe' }, 'GRAPHIQL'],
    ['NODE_ENV=production without CURSOR_SECRET', { NODE_ENV: 'production' }, 'CURSOR_SECRET'],
    ['IOT_REGIONS=Mars', { IOT_REGIONS: 'Mars' }, 'IOT_REGIONS'],
    ['MAX_UPSTREAM_CALLS=0', { MAX_UPSTREAM_CALLS: '0' }, 'MAX_UPSTREAM_CALLS'],
    [
      'RATE_LIMIT_BURST below MAX_UPSTREAM_CALLS',
      { RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_BURST: '50' },
      'RATE_LIMIT_BURST',
    ],
    ['TRUSTED_PROXIES=somewhere', { TRUSTED_PROXIES: '10.0.0.0/8,somewhere' }, 'TRUSTED_PROXIES'],
    ['METRICS_TOKEN=short', { METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    ['CLIENT_BODY_TIMEOUT_MS=fast', { CLIENT_BODY_TIMEOUT_MS: 'fast' }, 'CLIENT_BODY_TIMEOUT_MS'],
    ['REDIS_URL=http://x', { REDIS_URL: 'http://x' }, 'REDIS_URL'],
    ['PAGE_CACHE_TTL_MS=forever', { PAGE_CACHE_TTL_MS: 'forever' }, 'PAGE_CACHE_TTL_MS'],
    [
      'PERSISTED_DOCUMENTS=required without a manifest',
      { PERSISTED_DOCUMENTS: 'required' },
      'PERSISTED_DOCUMENTS_MANIFEST',
    ],
    [
      'PERSISTED_DOCUMENTS_MANIFEST that does not exist',
      { PERSISTED_DOCUMENTS_MANIFEST: '/nonexistent/persisted-documents.json' },
      'PERSISTED_DOCUMENTS_MANIFEST',
    ],
  ];

  it.for(badValues)(
    '%s stops it with exit code 2 and one line naming the variable',
    async ([, env, variable], { expect }) => {
      const gateway = spawnGateway(env);
      const exit = await gateway.exited;
      expect(exit).toEqual({ code: 2, signal: null });
      const lines = gateway.stderr.filter((l) => l.trim() !== '');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(variable);
      expect(lines[0]).not.toMatch(/\bat\s.+:\d+:\d+|Error:/);
      expect(gateway.stdout.filter((l) => l.trim() !== '')).toEqual([]);
    },
  );
});
