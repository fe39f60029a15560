import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError } from '../src/errors.js';
import { createDataset, type Dataset, type SimImportExportJob } from '../src/simulators/dataset.js';
import {
  createImportExportSimulator,
  type ImportExportSimulator,
} from '../src/simulators/import-export-server.js';
import {
  createImportExportUpstream,
  type ImportExportUpstreamOptions,
} from '../src/upstreams/import-export/client.js';
import { signV2 } from '../src/upstreams/import-export/sigv2.js';
import type { RetryPolicy } from '../src/upstreams/retry.js';
import type { ImportExportJobRecord, ImportExportUpstream } from '../src/upstreams/types.js';

/**
 * The Import/Export client against the simulator over real HTTP, and the simulator against
 * requests the client did not make: hand-built ones, bytes captured from botocore and aws-sdk v2,
 * and aws-sdk v2 itself.
 */

const KEYS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const FAST_RETRY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 1,
  throttleBaseDelayMs: 2,
  maxDelayMs: 5,
};

const dataset = createDataset({ seed: 42, iotJobs: 0, importExportJobs: 300 });
const allIds = dataset.importExportJobs.map((job) => job.jobId);

let sim: ImportExportSimulator;
const clients: ImportExportUpstream[] = [];
const extraSimulators: ImportExportSimulator[] = [];

beforeAll(async () => {
  sim = await createImportExportSimulator({ dataset, credentials: KEYS });
});

afterEach(() => {
  sim.faults.reset();
  sim.counters.reset();
  for (const client of clients.splice(0)) client.destroy();
});

afterAll(async () => {
  await Promise.all([sim.close(), ...extraSimulators.splice(0).map((s) => s.close())]);
});

function client(
  overrides: Partial<ImportExportUpstreamOptions> = {},
  target: ImportExportSimulator = sim,
): ImportExportUpstream {
  const created = createImportExportUpstream({
    endpoint: target.url,
    credentials: () => Promise.resolve(KEYS),
    timeoutMs: 2000,
    retry: FAST_RETRY,
    ...overrides,
  });
  clients.push(created);
  return created;
}

async function simulatorWith(data: Dataset, sessionToken?: string, now?: () => number) {
  const created = await createImportExportSimulator({
    dataset: data,
    credentials: { ...KEYS, sessionToken },
    now,
  });
  extraSimulators.push(created);
  return created;
}

async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

async function walk(upstream: ImportExportUpstream, maxJobs: number) {
  const jobs: ImportExportJobRecord[] = [];
  let marker: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await upstream.listJobs({ maxJobs, marker });
    pages++;
    expect(page.items.length).toBeLessThanOrEqual(maxJobs);
    jobs.push(...page.items);
    if (!page.isTruncated) break;
    // A truncated page is full: the server stopped only because MaxJobs was reached.
    expect(page.items).toHaveLength(maxJobs);
    marker = page.items[page.items.length - 1]?.jobId;
    if (pages > 1000) throw new Error('the walk does not end');
  }
  return { jobs, pages };
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface RawAnswer {
  readonly status: number;
  readonly body: string;
}

/** One HTTP/1.1 exchange with bytes exactly as given: nothing normalised by an HTTP client. */
function rawRequest(port: number, bytes: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      const headerEnd = received.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const head = received.subarray(0, headerEnd).toString('latin1');
      const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (received.length < headerEnd + 4 + length) return;
      socket.destroy();
      resolve({
        status: Number(head.split(' ')[1]),
        body: received.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'),
      });
    });
    socket.on('error', reject);
    socket.write(bytes);
  });
}

function formPost(host: string, body: string, path = '/'): string {
  return (
    `POST ${path} HTTP/1.1\r\nHost: ${host}\r\n` +
    'Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

const xmlCode = (body: string) => /<Code>([^<]*)<\/Code>/.exec(body)?.[1];

describe('paging', () => {
  it.each([1, 7, 1000])(
    'walks all 300 jobs with MaxJobs %i: each once, newest first',
    async (maxJobs) => {
      const { jobs, pages } = await walk(client(), maxJobs);
      expect(jobs.map((job) => job.jobId)).toEqual(allIds);
      expect(new Set(jobs.map((job) => job.jobId)).size).toBe(300);
      for (let i = 1; i < jobs.length; i++) {
        expect(jobs[i - 1]?.createdAt?.getTime()).toBeGreaterThanOrEqual(
          jobs[i]?.createdAt?.getTime() ?? Number.POSITIVE_INFINITY,
        );
      }
      expect(pages).toBe(Math.ceil(300 / maxJobs));
      expect(sim.counters.snapshot().byOperation).toEqual({ ListJobs: pages });
    },
  );

  it('maps every field of every job exactly as seeded', async () => {
    const { jobs } = await walk(client(), 1000);
    expect(jobs).toEqual(
      dataset.importExportJobs.map((job) => ({
        kind: 'importExport',
        jobId: job.jobId,
        jobType: job.jobType,
        createdAt: job.createdAt,
        isCanceled: job.isCanceled,
      })),
    );
    expect(jobs.some((job) => job.isCanceled)).toBe(true);
    expect(jobs.some((job) => !job.isCanceled)).toBe(true);
  });

  it('keeps ids with leading zeros as they are', async () => {
    const { jobs } = await walk(client(), 50);
    const zeros = jobs.filter((job) => job.jobId.startsWith('0'));
    expect(zeros.length).toBeGreaterThan(10);
    expect(zeros.map((job) => job.jobId)).toEqual(allIds.filter((id) => id.startsWith('0')));
    const resumed = await client().listJobs({ maxJobs: 1, marker: zeros[0]?.jobId });
    expect(resumed.items[0]?.jobId).toBe(allIds[allIds.indexOf(zeros[0]?.jobId ?? '') + 1]);
  });

  it('reads an empty account', async () => {
    const empty = await simulatorWith(createDataset({ iotJobs: 0, importExportJobs: 0 }));
    expect(await client({}, empty).listJobs({ maxJobs: 10 })).toEqual({
      items: [],
      isTruncated: false,
    });
  });

  it('reads a one-job account as a one-element page', async () => {
    const one = createDataset({ seed: 3, iotJobs: 0, importExportJobs: 1 });
    const single = await simulatorWith(one);
    const job = one.importExportJobs[0] as SimImportExportJob;
    expect(await client({}, single).listJobs({ maxJobs: 1000 })).toEqual({
      isTruncated: false,
      items: [
        {
          kind: 'importExport',
          jobId: job.jobId,
          jobType: job.jobType,
          createdAt: job.createdAt,
          isCanceled: job.isCanceled,
        },
      ],
    });
  });

  it('refuses an unknown Marker as BAD_USER_INPUT and a bad maxJobs without a call', async () => {
    const unknown = await failure(client().listJobs({ maxJobs: 5, marker: 'NOSUCHJOB' }));
    expect(unknown).toMatchObject({
      code: 'BAD_USER_INPUT',
      upstreamCode: 'InvalidParameterException',
      httpStatus: 400,
      attempts: 1,
    });
    for (const maxJobs of [0, 1001, 2.5]) {
      expect((await failure(client().listJobs({ maxJobs }))).code).toBe('BAD_USER_INPUT');
    }
    expect(sim.counters.snapshot().total).toBe(1);
  });
});

describe('GetStatus', () => {
  it('reads every field as seeded, multi-line text and artifacts included', async () => {
    const upstream = client();
    const withArtifacts = dataset.importExportJobs.find((job) => job.artifacts.length > 0);
    const canceled = dataset.importExportJobs.find((job) => job.isCanceled);
    const leadingZero = dataset.importExportJobs.find((job) => job.jobId.startsWith('0'));
    for (const job of [withArtifacts, canceled, leadingZero]) {
      if (!job) throw new Error('the dataset lacks a needed job');
      expect(await upstream.getStatus(job.jobId)).toEqual({
        jobId: job.jobId,
        jobType: job.jobType,
        locationCode: job.locationCode,
        locationMessage: job.locationMessage,
        progressCode: job.progressCode,
        progressMessage: job.progressMessage,
        carrier: job.carrier,
        trackingNumber: job.trackingNumber,
        logBucket: job.logBucket,
        logKey: job.logKey,
        errorCount: job.errorCount,
        signature: job.signature,
        signatureFileContents: job.signatureFileContents,
        currentManifest: job.currentManifest,
        createdAt: job.createdAt,
        artifacts: job.artifacts.map((a) => ({ description: a.description, url: a.url })),
      });
    }
    expect(canceled?.progressCode).toBe('Canceled');
    expect(sim.counters.snapshot().byOperation).toEqual({ GetStatus: 3 });
  });

  it('maps an unknown JobId to NOT_FOUND without retrying', async () => {
    const error = await failure(client().getStatus('NOSUCHJOB'));
    expect(error).toMatchObject({
      code: 'NOT_FOUND',
      source: 'IMPORT_EXPORT',
      upstreamCode: 'InvalidJobIdException',
      httpStatus: 400,
      attempts: 1,
    });
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).not.toContain('for your account');
    expect(sim.counters.snapshot().total).toBe(1);
  });
});

describe('faults', () => {
  it('retries throttling, then gives UPSTREAM_THROTTLED after exactly maxAttempts requests', async () => {
    sim.faults.set({ throttleRate: 1 });
    const attempts: string[] = [];
    const upstream = client({
      onAttempt: (outcome) => attempts.push(`${outcome.operation}#${outcome.attempt}`),
    });
    const error = await failure(upstream.listJobs({ maxJobs: 5 }));
    expect(error).toMatchObject({
      code: 'UPSTREAM_THROTTLED',
      upstreamCode: 'Throttling',
      httpStatus: 503,
      attempts: FAST_RETRY.maxAttempts,
    });
    expect(attempts).toEqual(['ListJobs#1', 'ListJobs#2', 'ListJobs#3']);
    expect(sim.counters.snapshot()).toMatchObject({
      total: FAST_RETRY.maxAttempts,
      byOperation: { ListJobs: FAST_RETRY.maxAttempts },
    });
  });

  it('recovers when a retry succeeds', async () => {
    sim.faults.set({ errorRate: 0.5 });
    const upstream = client({ retry: { ...FAST_RETRY, maxAttempts: 10 } });
    for (let i = 0; i < 5; i++) {
      expect((await upstream.getStatus(allIds[i] as string)).jobId).toBe(allIds[i]);
    }
    expect(sim.counters.snapshot().total).toBeGreaterThan(5);
  });

  it('retries a 503 ServiceUnavailable, then gives UPSTREAM_UNAVAILABLE', async () => {
    sim.faults.set({ errorRate: 1 });
    const error = await failure(client().getStatus(allIds[0] as string));
    expect(error).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      upstreamCode: 'ServiceUnavailable',
      httpStatus: 503,
      attempts: 3,
    });
    expect(sim.counters.snapshot().byOperation).toEqual({ GetStatus: 3 });
  });

  it('gives UPSTREAM_BAD_RESPONSE for a cut-off 200, without retrying', async () => {
    sim.faults.set({ malformedRate: 1 });
    for (const call of [
      () => client().listJobs({ maxJobs: 50 }),
      () => client().listJobs({ maxJobs: 1 }),
      () => client().getStatus(allIds[0] as string),
    ]) {
      const error = await failure(call());
      expect(error).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', httpStatus: 200, attempts: 1 });
      expect(error.requestId).toBeDefined();
    }
    expect(sim.counters.snapshot().total).toBe(3);
  });

  it('gives UPSTREAM_TIMEOUT for a hung upstream within the deadline, and closes the socket', async () => {
    sim.faults.set({ hang: true });
    const timeoutMs = 250;
    const started = performance.now();
    const error = await failure(client({ timeoutMs }).listJobs({ maxJobs: 5 }));
    const elapsed = performance.now() - started;
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
    expect(error.attempts).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 5);
    expect(elapsed).toBeLessThan(timeoutMs + 200);
    // The simulator saw the client close the connection of the request it never answered.
    await until(() => sim.counters.snapshot().abandoned === 1);
    expect(sim.counters.snapshot()).toMatchObject({ total: 1, inFlight: 0, abandoned: 1 });
  });

  it('lets the caller abort a hung call, and closes the socket', async () => {
    sim.faults.set({ hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    const error = await failure(
      client({ timeoutMs: 5000 }).getStatus(allIds[0] as string, { signal: controller.signal }),
    );
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
    expect(performance.now() - started).toBeLessThan(1000);
    await until(() => sim.counters.snapshot().abandoned === 1);
  });

  it('ends hung calls of one caller at their deadline, a later call no sooner than its own', async () => {
    // Calls under one caller's signal each get a deadline of their own: one that starts later
    // still gets the whole of it.
    sim.faults.set({ hang: true });
    const timeoutMs = 200;
    const upstream = client({ timeoutMs });
    const caller = new AbortController();
    const timed = async (call: () => Promise<unknown>) => {
      const started = performance.now();
      const error = await failure(call());
      return { code: error.code, elapsed: performance.now() - started };
    };
    const together = [
      timed(() => upstream.listJobs({ maxJobs: 5, signal: caller.signal })),
      timed(() => upstream.getStatus(allIds[0] as string, { signal: caller.signal })),
    ];
    await new Promise((resolve) => setTimeout(resolve, 100));
    const later = await timed(() =>
      upstream.getStatus(allIds[1] as string, { signal: caller.signal }),
    );
    for (const result of [...(await Promise.all(together)), later]) {
      expect(result.code).toBe('UPSTREAM_TIMEOUT');
      expect(result.elapsed).toBeGreaterThanOrEqual(timeoutMs - 5);
      expect(result.elapsed).toBeLessThan(timeoutMs + 300);
    }
    await until(() => sim.counters.snapshot().abandoned === 3);
    expect(sim.counters.snapshot()).toMatchObject({ total: 3, inFlight: 0 });
  });

  it('runs the twenty calls of a page of details under one caller signal without a listener warning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const caller = new AbortController();
      const upstream = client({ timeoutMs: 5000 });
      const ids = allIds.slice(0, 20) as string[];
      const statuses = await Promise.all(
        ids.map((id) => upstream.getStatus(id, { signal: caller.signal })),
      );
      expect(statuses.map((s) => s.jobId)).toEqual(ids);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('adds latency without failing', async () => {
    sim.faults.set({ latencyMs: 40 });
    const started = performance.now();
    expect((await client().listJobs({ maxJobs: 2 })).items).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(39);
  });

  it('maps a refused connection to UPSTREAM_UNAVAILABLE after retries', async () => {
    const closed = await simulatorWith(dataset);
    await closed.close();
    const error = await failure(client({}, closed).listJobs({ maxJobs: 1 }));
    expect(error).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      upstreamCode: 'ECONNREFUSED',
      attempts: 3,
    });
  });
});

describe('authentication', () => {
  it('rejects a wrong secret as UPSTREAM_AUTH without retrying, and keeps no secret', async () => {
    const wrong = { ...KEYS, secretAccessKey: 'not-the-secret-key-0123456789' };
    const error = await failure(
      client({ credentials: () => Promise.resolve(wrong) }).listJobs({ maxJobs: 1 }),
    );
    expect(error).toMatchObject({
      code: 'UPSTREAM_AUTH',
      upstreamCode: 'SignatureDoesNotMatch',
      httpStatus: 403,
      attempts: 1,
    });
    const everything = JSON.stringify({ ...error, message: error.message, stack: error.stack });
    expect(everything).not.toContain(wrong.secretAccessKey);
    expect(everything).not.toContain('signature we calculated');
    expect(sim.counters.snapshot()).toMatchObject({ total: 1, authFailures: 1 });
  });

  it('rejects an unknown access key', async () => {
    const stranger = { ...KEYS, accessKeyId: 'AKIDSTRANGER' };
    const error = await failure(
      client({ credentials: () => Promise.resolve(stranger) }).getStatus(allIds[0] as string),
    );
    expect(error).toMatchObject({
      code: 'UPSTREAM_AUTH',
      upstreamCode: 'InvalidClientTokenIdException',
      httpStatus: 403,
    });
    expect(sim.counters.snapshot().authFailures).toBe(1);
  });

  it('rejects a Timestamp more than 15 minutes off, and accepts one 14 minutes off', async () => {
    const skewed = (minutes: number) => () => new Date(Date.now() - minutes * 60_000);
    const error = await failure(client({ clock: skewed(16) }).listJobs({ maxJobs: 1 }));
    expect(error).toMatchObject({
      code: 'UPSTREAM_AUTH',
      upstreamCode: 'RequestExpired',
      attempts: 1,
    });
    expect(sim.counters.snapshot().authFailures).toBe(1);
    expect((await client({ clock: skewed(14) }).listJobs({ maxJobs: 1 })).items).toHaveLength(1);
    expect(sim.counters.snapshot().authFailures).toBe(1);
  });

  it('sends and requires SecurityToken for temporary credentials', async () => {
    const withToken = await simulatorWith(dataset, 'session-token/with+chars=');
    const temporary = { ...KEYS, sessionToken: 'session-token/with+chars=' };
    const ok = client({ credentials: () => Promise.resolve(temporary) }, withToken);
    expect((await ok.listJobs({ maxJobs: 3 })).items).toHaveLength(3);
    const missing = await failure(client({}, withToken).listJobs({ maxJobs: 3 }));
    expect(missing.code).toBe('UPSTREAM_AUTH');
    // And a token the server does not expect is refused too.
    const extra = await failure(
      client({ credentials: () => Promise.resolve(temporary) }).listJobs({ maxJobs: 1 }),
    );
    expect(extra.code).toBe('UPSTREAM_AUTH');
  });

  it('maps a failing credentials provider to UPSTREAM_NO_CREDENTIALS without a request', async () => {
    const error = await failure(
      client({ credentials: () => Promise.reject(new Error('no credentials')) }).listJobs({
        maxJobs: 1,
      }),
    );
    expect(error).toMatchObject({ code: 'UPSTREAM_NO_CREDENTIALS', attempts: 1 });
    expect(sim.counters.snapshot().total).toBe(0);
  });
});

describe('the simulator against requests the client did not build', () => {
  const host = () => `127.0.0.1:${sim.port}`;
  const signedBody = (params: Record<string, string>, date = new Date()) =>
    signV2({ params, host: host(), credentials: KEYS, date }).body;

  it('rejects a body altered after signing', async () => {
    const body = signedBody({ Action: 'ListJobs', Version: '2010-06-01', MaxJobs: '5' });
    const control = await rawRequest(sim.port, formPost(host(), body));
    expect(control.status).toBe(200);
    expect(control.body.match(/<member>/g)).toHaveLength(5);

    const tampered = await rawRequest(
      sim.port,
      formPost(host(), body.replace('MaxJobs=5', 'MaxJobs=6')),
    );
    expect(tampered.status).toBe(403);
    expect(xmlCode(tampered.body)).toBe('SignatureDoesNotMatch');
    expect(tampered.body).toMatch(
      /^<ErrorResponse xmlns="http:\/\/importexport\.amazonaws\.com\/doc\/2010-06-01\/"><Error><Type>Sender<\/Type>/,
    );
    expect(tampered.body).toMatch(
      /<\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
    );

    const otherHost = await rawRequest(sim.port, formPost('localhost:1', body));
    expect(xmlCode(otherHost.body)).toBe('SignatureDoesNotMatch');

    const added = await rawRequest(sim.port, formPost(host(), `${body}&Marker=${allIds[0]}`));
    expect(xmlCode(added.body)).toBe('SignatureDoesNotMatch');
    expect(sim.counters.snapshot().authFailures).toBe(3);
  });

  it('requires the signature parameters', async () => {
    const unsigned = await rawRequest(
      sim.port,
      formPost(host(), 'Action=ListJobs&Version=2010-06-01&MaxJobs=5'),
    );
    expect(unsigned.status).toBe(400);
    expect(xmlCode(unsigned.body)).toBe('MissingParameter');
    expect(sim.counters.snapshot()).toMatchObject({
      authFailures: 1,
      byOperation: { ListJobs: 1 },
    });
  });

  it('validates Action, Version, MaxJobs and JobId after authentication', async () => {
    const cases: [Record<string, string>, number, string][] = [
      [{ Action: 'DeleteEverything', Version: '2010-06-01' }, 400, 'InvalidAction'],
      [{ Action: 'ListJobs', Version: '2009-01-01' }, 400, 'InvalidVersionException'],
      [
        { Action: 'ListJobs', Version: '2010-06-01', MaxJobs: '0' },
        400,
        'InvalidParameterException',
      ],
      [
        { Action: 'ListJobs', Version: '2010-06-01', MaxJobs: '1001' },
        400,
        'InvalidParameterException',
      ],
      [
        { Action: 'ListJobs', Version: '2010-06-01', MaxJobs: 'ten' },
        400,
        'InvalidParameterException',
      ],
      [{ Action: 'GetStatus', Version: '2010-06-01' }, 400, 'MissingParameterException'],
    ];
    for (const [params, status, code] of cases) {
      const answer = await rawRequest(sim.port, formPost(host(), signedBody(params)));
      expect([answer.status, xmlCode(answer.body)], JSON.stringify(params)).toEqual([status, code]);
    }
    expect(sim.counters.snapshot().authFailures).toBe(0);
  });

  it('answers ListJobs without MaxJobs with every job, and a canceled job through GetStatus', async () => {
    const all = await rawRequest(
      sim.port,
      formPost(host(), signedBody({ Action: 'ListJobs', Version: '2010-06-01' })),
    );
    expect(all.body.match(/<member>/g)).toHaveLength(300);
    expect(all.body).toContain('<IsTruncated>false</IsTruncated>');
    const canceled = dataset.importExportJobs.find((job) => job.isCanceled) as SimImportExportJob;
    const status = await rawRequest(
      sim.port,
      formPost(
        host(),
        signedBody({ Action: 'GetStatus', Version: '2010-06-01', JobId: canceled.jobId }),
      ),
    );
    expect(status.status).toBe(200);
    expect(status.body).toContain('<ProgressCode>Canceled</ProgressCode>');
    expect(status.body).toMatch(/<CreationDate>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/CreationDate>/);
  });

  it('tolerates the /?Operation=ListJobs request URI of the model', async () => {
    const body = signedBody({ Version: '2010-06-01', MaxJobs: '2' });
    const answer = await rawRequest(sim.port, formPost(host(), body, '/?Operation=ListJobs'));
    expect(answer.status).toBe(200);
    expect(answer.body.match(/<member>/g)).toHaveLength(2);
    expect(sim.counters.snapshot().byOperation).toEqual({ ListJobs: 1 });
  });

  describe('captured SDK requests, replayed byte for byte at the time they were signed', () => {
    // The captures asked for MaxJobs=5 after Marker=ABC; a dataset with a job ABC answers them.
    const base = createDataset({ seed: 9, iotJobs: 0, importExportJobs: 10 });
    const withAbc: Dataset = {
      ...base,
      importExportJobs: base.importExportJobs.map((job, i) =>
        i === 2 ? { ...job, jobId: 'ABC' } : job,
      ),
    };
    const captureClock = () => Date.parse('2026-11-22T14:54:00Z');

    it('accepts botocore with signature_version v2 (unsorted, form-encoded body)', async () => {
      const replay = await simulatorWith(withAbc, undefined, captureClock);
      const body =
        'Action=ListJobs&Version=2010-06-01&MaxJobs=5&Marker=ABC&AWSAccessKeyId=AKIDEXAMPLE&' +
        'SignatureVersion=2&SignatureMethod=HmacSHA256&Timestamp=2026-11-22T14%3A53%3A44Z&' +
        'Signature=2qb6AU2KqqAg%2FD6WYOWQ8c4w7TtZFJVueKvMG51aP1s%3D';
      const request =
        'POST / HTTP/1.1\r\nHost: 127.0.0.1:18081\r\nAccept-Encoding: identity\r\n' +
        'Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n' +
        'User-Agent: Boto3/1.26.27 Python/3.11.2 Linux/6.18.44-fc-v669 Botocore/1.29.27\r\n' +
        'amz-sdk-invocation-id: cdbfd1b9-3106-46fd-8f2c-ac6f73b7d9f3\r\n' +
        `amz-sdk-request: attempt=1\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
      const answer = await rawRequest(replay.port, request);
      expect(answer.status).toBe(200);
      const ids = [...answer.body.matchAll(/<JobId>([^<]*)<\/JobId>/g)].map((m) => m[1]);
      expect(ids).toEqual(withAbc.importExportJobs.slice(3, 8).map((job) => job.jobId));
      expect(answer.body).toContain('<IsTruncated>true</IsTruncated>');
    });

    it('accepts aws-sdk v2 (sorted, %20-encoded body)', async () => {
      const replay = await simulatorWith(withAbc, undefined, captureClock);
      const body =
        'AWSAccessKeyId=AKIDEXAMPLE&Action=ListJobs&Marker=ABC&MaxJobs=5&' +
        'Signature=oK4%2BeUADI68fFw18ErrrTxwZrbUBVxr40xwTe56DP0Y%3D&SignatureMethod=HmacSHA256&' +
        'SignatureVersion=2&Timestamp=2026-11-22T14%3A54%3A13Z&Version=2010-06-01';
      const request =
        'POST / HTTP/1.1\r\nUser-Agent: aws-sdk-nodejs/2.1693.0 linux/v20.20.2 callback\r\n' +
        'Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n' +
        `Content-Length: ${body.length}\r\nHost: 127.0.0.1:18081\r\nConnection: close\r\n\r\n${body}`;
      const answer = await rawRequest(replay.port, request);
      expect(answer.status).toBe(200);
      expect(answer.body.match(/<member>/g)).toHaveLength(5);
    });

    it('accepts botocore default config, which signs this service SigV4 as IngestionService', async () => {
      const replay = await simulatorWith(withAbc, undefined, captureClock);
      const request = (body: string) =>
        'POST / HTTP/1.1\r\nHost: 127.0.0.1:18081\r\nAccept-Encoding: identity\r\n' +
        'Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n' +
        'X-Amz-Date: 20261122T145333Z\r\nAuthorization: AWS4-HMAC-SHA256 ' +
        'Credential=AKIDEXAMPLE/20261122/us-east-1/IngestionService/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-date, ' +
        'Signature=824166296d9b4a40a50b7c0658ab7f34f9f69a234433f636a2459942eeae9167\r\n' +
        `Content-Length: ${body.length}\r\n\r\n${body}`;
      const captured = await rawRequest(
        replay.port,
        request('Action=ListJobs&Version=2010-06-01&MaxJobs=5&Marker=ABC'),
      );
      expect(captured.status).toBe(200);
      expect(captured.body.match(/<member>/g)).toHaveLength(5);
      // The body is covered by the SigV4 payload hash: changing it breaks the signature.
      const tampered = await rawRequest(
        replay.port,
        request('Action=ListJobs&Version=2010-06-01&MaxJobs=6&Marker=ABC'),
      );
      expect([tampered.status, xmlCode(tampered.body)]).toEqual([403, 'InvalidSignatureException']);
      expect(replay.counters.snapshot().authFailures).toBe(1);
    });
  });
});

describe('aws-sdk v2, an independent client', () => {
  it('pages through every job with listJobs/Marker and reads getStatus', async () => {
    process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
    const { default: ImportExport } = await import('aws-sdk/clients/importexport.js');
    const sdk = new ImportExport({
      endpoint: sim.url,
      region: 'us-east-1',
      credentials: { accessKeyId: KEYS.accessKeyId, secretAccessKey: KEYS.secretAccessKey },
      maxRetries: 0,
    });
    const ids: string[] = [];
    let marker: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await sdk
        .listJobs({ MaxJobs: 64, ...(marker ? { Marker: marker } : {}) })
        .promise();
      const jobs = page.Jobs ?? [];
      ids.push(...jobs.map((job) => job.JobId as string));
      if (!page.IsTruncated) break;
      marker = jobs[jobs.length - 1]?.JobId;
    }
    expect(ids).toEqual(allIds);

    const job = dataset.importExportJobs.find((j) => j.artifacts.length > 0) as SimImportExportJob;
    const status = await sdk.getStatus({ JobId: job.jobId }).promise();
    expect(status).toMatchObject({
      JobId: job.jobId,
      JobType: job.jobType,
      ProgressCode: job.progressCode,
      ErrorCount: job.errorCount,
      CreationDate: job.createdAt,
      CurrentManifest: job.currentManifest,
      ArtifactList: [{ Description: 'Label', URL: job.artifacts[0]?.url }],
    });

    const missing = await sdk
      .getStatus({ JobId: 'NOSUCHJOB' })
      .promise()
      .then(
        () => undefined,
        (error: { code?: string; statusCode?: number }) => error,
      );
    expect(missing).toMatchObject({ code: 'InvalidJobIdException', statusCode: 400 });
    expect(sim.counters.snapshot().authFailures).toBe(0);
  });
});
