import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { ListJobsCommand } from '@aws-sdk/client-iot';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { isUpstreamError, type UpstreamError } from '../src/errors.js';
import { createDataset, type Dataset, type SimIotJob } from '../src/simulators/dataset.js';
import { createIotSimulator, type IotSimulator } from '../src/simulators/iot-server.js';
import { createIotUpstream, type IotUpstreamOptions } from '../src/upstreams/iot/client.js';
import { RetryBudget, type RetryPolicy } from '../src/upstreams/retry.js';
import type {
  CredentialsProvider,
  IotJobFilter,
  IotJobRecord,
  IotUpstream,
} from '../src/upstreams/types.js';

/** The IoT upstream client against the simulator, over real sockets. */

const KEYS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const REGION = 'us-east-1';
const FAST: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1, throttleBaseDelayMs: 2, maxDelayMs: 5 };
const staticCredentials: CredentialsProvider = async () => KEYS;

let dataset: Dataset;
let sim: IotSimulator;
let iot: IotUpstream;
const extraClients: IotUpstream[] = [];

function client(overrides: Partial<IotUpstreamOptions> = {}, url = sim.url): IotUpstream {
  const created = createIotUpstream({
    endpoint: url,
    region: REGION,
    credentials: staticCredentials,
    timeoutMs: 2000,
    retry: FAST,
    ...overrides,
  });
  extraClients.push(created);
  return created;
}

beforeAll(async () => {
  dataset = createDataset({ iotJobs: 1000 });
  sim = await createIotSimulator({ dataset, credentials: KEYS });
  iot = client();
});

beforeEach(() => sim.counters.reset());

afterEach(() => {
  sim.faults.reset();
  sim.quirks.emptyPages = false;
  sim.quirks.repeatToken = false;
});

afterAll(async () => {
  for (const c of extraClients) c.destroy();
  await sim.close();
});

async function walk(
  upstream: IotUpstream,
  pageSize: number,
  filter?: IotJobFilter,
): Promise<{ jobs: IotJobRecord[]; pages: number }> {
  const jobs: IotJobRecord[] = [];
  let pageToken: string | null = null;
  let pages = 0;
  do {
    const page = await upstream.listJobs({ pageSize, pageToken, filter });
    expect(page.items.length).toBeLessThanOrEqual(pageSize);
    jobs.push(...page.items);
    pageToken = page.nextToken;
    pages++;
  } while (pageToken !== null && pages <= 2000);
  return { jobs, pages };
}

async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    if (isUpstreamError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** The record the client must produce for a seeded job, derived from the dataset alone. */
function expectedRecord(job: SimIotJob): IotJobRecord {
  return {
    kind: 'iot',
    region: 'us-east-1',
    jobId: job.jobId,
    jobArn: job.jobArn,
    thingGroupId: job.thingGroup?.id ?? null,
    targetSelection: job.targetSelection,
    status: job.status,
    createdAt: job.createdAt,
    lastUpdatedAt: job.lastUpdatedAt,
    completedAt: job.completedAt,
    isConcurrent: job.isConcurrent,
  };
}

const idsOf = (jobs: readonly { jobId: string }[]) => jobs.map((j) => j.jobId);

describe('paging through the whole listing', () => {
  it.each([1, 7, 250])(
    'returns every job exactly once, in order, at page size %i',
    async (size) => {
      const { jobs, pages } = await walk(iot, size);
      expect(idsOf(jobs)).toEqual(idsOf(dataset.iotJobs));
      expect(pages).toBe(Math.ceil(1000 / size));
      expect(sim.counters.snapshot().byOperation).toEqual({ ListJobs: pages });
      if (size === 250) expect(jobs).toEqual(dataset.iotJobs.map(expectedRecord));
    },
  );

  it('follows a shuffled listing the same way at every page size', async () => {
    const shuffled = await createIotSimulator({ dataset, credentials: KEYS, order: 'shuffled' });
    try {
      const upstream = client({}, shuffled.url);
      const reference = idsOf((await walk(upstream, 250)).jobs);
      expect(reference).not.toEqual(idsOf(dataset.iotJobs));
      expect([...reference].sort()).toEqual(idsOf(dataset.iotJobs).sort());
      for (const size of [1, 7]) {
        expect(idsOf((await walk(upstream, size)).jobs)).toEqual(reference);
      }
    } finally {
      await shuffled.close();
    }
  });
});

describe('filters', () => {
  const groupA = () => dataset.thingGroups[0]!;
  const groupB = () => dataset.thingGroups[1]!;

  function expectedFor(filter: IotJobFilter): string[] {
    return dataset.iotJobs
      .filter(
        (j) =>
          (!filter.status || j.status === filter.status) &&
          (!filter.targetSelection || j.targetSelection === filter.targetSelection) &&
          (!filter.thingGroupName || j.thingGroup?.name === filter.thingGroupName) &&
          (!filter.thingGroupId || j.thingGroup?.id === filter.thingGroupId) &&
          (!filter.namespaceId || j.namespaceId === filter.namespaceId),
      )
      .map((j) => j.jobId);
  }

  it('returns exactly the matching jobs for each filter alone', async () => {
    const filters: IotJobFilter[] = [
      ...(
        ['IN_PROGRESS', 'CANCELED', 'COMPLETED', 'DELETION_IN_PROGRESS', 'SCHEDULED'] as const
      ).map((status) => ({ status })),
      { targetSelection: 'CONTINUOUS' },
      { targetSelection: 'SNAPSHOT' },
      ...dataset.thingGroups.map((g) => ({ thingGroupName: g.name })),
      ...dataset.thingGroups.map((g) => ({ thingGroupId: g.id })),
      { namespaceId: 'greengrass' },
      { namespaceId: 'ops-team' },
    ];
    for (const filter of filters) {
      const expected = expectedFor(filter);
      expect(expected.length, JSON.stringify(filter)).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(1000);
      expect(idsOf((await walk(iot, 50, filter)).jobs), JSON.stringify(filter)).toEqual(expected);
    }
  });

  it('combines filters with AND', async () => {
    const combos: IotJobFilter[] = [
      { status: 'IN_PROGRESS', targetSelection: 'SNAPSHOT' },
      { thingGroupName: groupA().name, status: 'COMPLETED' },
      { thingGroupName: groupA().name, thingGroupId: groupA().id, targetSelection: 'CONTINUOUS' },
      { namespaceId: 'greengrass', targetSelection: 'CONTINUOUS' },
      { namespaceId: 'ops-team', thingGroupId: groupB().id, status: 'CANCELED' },
    ];
    for (const filter of combos) {
      const expected = expectedFor(filter);
      expect(expected.length, JSON.stringify(filter)).toBeGreaterThan(0);
      expect(idsOf((await walk(iot, 7, filter)).jobs), JSON.stringify(filter)).toEqual(expected);
    }
    const contradictory = { thingGroupName: groupA().name, thingGroupId: groupB().id };
    expect(await iot.listJobs({ pageSize: 10, filter: contradictory })).toEqual({
      items: [],
      nextToken: null,
    });
    expect(
      await iot.listJobs({ pageSize: 10, filter: { namespaceId: 'no-such-namespace' } }),
    ).toEqual({ items: [], nextToken: null });
  });

  it('ignores null members of a filter', async () => {
    const page = await iot.listJobs({
      pageSize: 3,
      filter: { status: null, thingGroupName: null, namespaceId: null },
    });
    expect(idsOf(page.items)).toEqual(idsOf(dataset.iotJobs.slice(0, 3)));
  });
});

describe('edge cases', () => {
  it('reads a one-job page', async () => {
    const single = await createIotSimulator({
      dataset: createDataset({ iotJobs: 1 }),
      credentials: KEYS,
    });
    try {
      const page = await client({}, single.url).listJobs({ pageSize: 250 });
      expect(page.items).toHaveLength(1);
      expect(page.nextToken).toBeNull();
    } finally {
      await single.close();
    }
    const first = await iot.listJobs({ pageSize: 1 });
    expect(first.items).toEqual([expectedRecord(dataset.iotJobs[0]!)]);
    expect(first.nextToken).toEqual(expect.any(String));
  });

  it('reads an empty account', async () => {
    const empty = await createIotSimulator({
      dataset: createDataset({ iotJobs: 0 }),
      credentials: KEYS,
    });
    try {
      expect(await client({}, empty.url).listJobs({ pageSize: 50 })).toEqual({
        items: [],
        nextToken: null,
      });
    } finally {
      await empty.close();
    }
  });

  it('keeps ids with leading zeros as strings and a missing completedAt as null', async () => {
    const { jobs } = await walk(iot, 250);
    const zeros = jobs.filter((j) => /^00\d+$/.test(j.jobId));
    expect(zeros.length).toBeGreaterThan(0);
    expect(idsOf(zeros)).toEqual(idsOf(dataset.iotJobs.filter((j) => /^00\d+$/.test(j.jobId))));
    const open = jobs.find((j) => j.status === 'IN_PROGRESS');
    expect(open?.completedAt).toBeNull();
    const done = jobs.find((j) => j.status === 'COMPLETED');
    expect(done?.completedAt).toBeInstanceOf(Date);
  });

  it('passes empty pages and repeated tokens through as the upstream sent them', async () => {
    sim.quirks.emptyPages = true;
    const empty = await iot.listJobs({ pageSize: 5 });
    expect(empty.items).toEqual([]);
    expect(empty.nextToken).toEqual(expect.any(String));
    const real = await iot.listJobs({ pageSize: 5, pageToken: empty.nextToken });
    expect(idsOf(real.items)).toEqual(idsOf(dataset.iotJobs.slice(0, 5)));
    sim.quirks.emptyPages = false;
    sim.quirks.repeatToken = true;
    const again = await iot.listJobs({ pageSize: 5, pageToken: real.nextToken });
    expect(again.nextToken).toBe(real.nextToken);
  });

  it('refuses page sizes outside 1..250 without calling the upstream', async () => {
    for (const pageSize of [0, 251, 1.5]) {
      expect((await failure(iot.listJobs({ pageSize }))).code).toBe('BAD_USER_INPUT');
    }
    expect(sim.counters.snapshot().total).toBe(0);
  });
});

describe('describeJob and describeThingGroup', () => {
  it('maps DescribeJob to a details record', async () => {
    const job = dataset.iotJobs.find((j) => j.status === 'CANCELED' && j.jobTemplateArn)!;
    expect(await iot.describeJob(job.jobId)).toEqual({
      region: REGION,
      jobId: job.jobId,
      jobArn: job.jobArn,
      status: 'CANCELED',
      targetSelection: job.targetSelection,
      createdAt: job.createdAt,
      lastUpdatedAt: job.lastUpdatedAt,
      completedAt: job.completedAt,
      isConcurrent: job.isConcurrent,
      description: job.description,
      comment: job.comment,
      targets: job.targets,
      forceCanceled: job.forceCanceled,
      reasonCode: job.reasonCode,
      namespaceId: job.namespaceId,
      jobTemplateArn: job.jobTemplateArn,
      documentSource: job.documentSource,
      processDetails: job.processDetails,
    });
  });

  it('describes a leading-zero id without completedAt, with nulls for what is absent', async () => {
    const job = dataset.iotJobs.find((j) => /^00\d+$/.test(j.jobId) && !j.completedAt)!;
    const record = await iot.describeJob(job.jobId);
    expect(record).toMatchObject({
      jobId: job.jobId,
      completedAt: null,
      comment: null,
      forceCanceled: null,
      reasonCode: null,
    });
  });

  it('gives NOT_FOUND for an unknown job, without retrying', async () => {
    const error = await failure(iot.describeJob('no-such-job'));
    expect(error).toMatchObject({
      code: 'NOT_FOUND',
      source: 'IOT',
      httpStatus: 404,
      upstreamCode: 'ResourceNotFoundException',
      attempts: 1,
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(sim.counters.snapshot().byOperation).toEqual({ DescribeJob: 1 });
  });

  it('maps DescribeThingGroup, including a name with a colon', async () => {
    for (const group of dataset.thingGroups) {
      expect(await iot.describeThingGroup(group.name)).toEqual({
        thingGroupName: group.name,
        thingGroupId: group.id,
        thingGroupArn: group.arn,
      });
    }
    expect((await failure(iot.describeThingGroup('no-such-group'))).code).toBe('NOT_FOUND');
  });
});

describe('faults and retries', () => {
  it('retries 503 and then gives UPSTREAM_UNAVAILABLE after maxAttempts', async () => {
    sim.faults.set({ errorRate: 1 });
    const error = await failure(iot.listJobs({ pageSize: 5 }));
    expect(error).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      attempts: 3,
      httpStatus: 503,
      upstreamCode: 'ServiceUnavailableException',
    });
    expect(sim.counters.snapshot().byOperation).toEqual({ ListJobs: 3 });
  });

  it('retries throttling (HTTP 400) and then gives UPSTREAM_THROTTLED', async () => {
    sim.faults.set({ throttleRate: 1 });
    const outcomes: string[] = [];
    const upstream = client({
      retry: { ...FAST, maxAttempts: 4 },
      onAttempt: (o) => outcomes.push(`${o.operation}:${o.attempt}:${o.error?.code}`),
    });
    const error = await failure(upstream.listJobs({ pageSize: 5 }));
    expect(error).toMatchObject({
      code: 'UPSTREAM_THROTTLED',
      attempts: 4,
      httpStatus: 400,
      upstreamCode: 'ThrottlingException',
    });
    expect(sim.counters.snapshot().byOperation).toEqual({ ListJobs: 4 });
    expect(outcomes).toEqual([1, 2, 3, 4].map((n) => `ListJobs:${n}:UPSTREAM_THROTTLED`));
  });

  it('recovers from intermittent failures within the attempts', async () => {
    sim.faults.set({ errorRate: 0.4, throttleRate: 0.2 });
    const upstream = client({ retry: { ...FAST, maxAttempts: 8 } });
    for (let i = 0; i < 10; i++) {
      const page = await upstream.listJobs({ pageSize: 2 });
      expect(idsOf(page.items)).toEqual(idsOf(dataset.iotJobs.slice(0, 2)));
    }
    expect(sim.counters.snapshot().total).toBeGreaterThan(10);
  });

  it('does not retry a malformed body: UPSTREAM_BAD_RESPONSE', async () => {
    sim.faults.set({ malformedRate: 1 });
    const error = await failure(iot.listJobs({ pageSize: 5 }));
    expect(error).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', attempts: 1, httpStatus: 200 });
    expect((await failure(iot.describeJob(dataset.iotJobs[0]!.jobId))).code).toBe(
      'UPSTREAM_BAD_RESPONSE',
    );
    expect(sim.counters.snapshot().total).toBe(2);
  });

  it('ends a hung call at the deadline and closes its socket', async () => {
    sim.faults.set({ hang: true });
    const upstream = client({ timeoutMs: 150 });
    const started = performance.now();
    const error = await failure(upstream.listJobs({ pageSize: 5 }));
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', attempts: 1 });
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(150 + 150);
    await expect.poll(() => sim.counters.snapshot().abandoned, { timeout: 1000 }).toBe(1);
    expect(sim.counters.snapshot()).toMatchObject({ total: 1, inFlight: 0 });
  });

  it("ends a hung call when the caller's signal aborts", async () => {
    sim.faults.set({ hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    const error = await failure(
      iot.describeJob(dataset.iotJobs[0]!.jobId, { signal: controller.signal }),
    );
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
    expect(performance.now() - started).toBeLessThan(500);
    await expect.poll(() => sim.counters.snapshot().abandoned, { timeout: 1000 }).toBe(1);
  });

  it('keeps the SDK handler cache while every call carries its deadline', async () => {
    // The SDK resolves a command's middleware chain anew for every send() given options (an
    // abortSignal among them); the deadline travels another way, so the chain is resolved once.
    const resolved = vi.spyOn(ListJobsCommand.prototype, 'resolveMiddleware');
    try {
      const upstream = client({ timeoutMs: 5000 });
      expect((await upstream.listJobs({ pageSize: 5 })).items).toHaveLength(5);
      expect((await upstream.listJobs({ pageSize: 7 })).items).toHaveLength(7);
      sim.faults.set({ hang: true });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const started = performance.now();
      const error = await failure(upstream.listJobs({ pageSize: 5, signal: controller.signal }));
      expect(error.code).toBe('UPSTREAM_TIMEOUT');
      expect(performance.now() - started).toBeLessThan(2000);
      // The abort reached the socket: the simulator saw it closed, not answered.
      await expect.poll(() => sim.counters.snapshot().abandoned, { timeout: 1000 }).toBe(1);
      expect(resolved).toHaveBeenCalledTimes(1);
    } finally {
      resolved.mockRestore();
    }
  });

  it('does not retry a rejected token: BAD_USER_INPUT', async () => {
    const first = await iot.listJobs({ pageSize: 5 });
    sim.counters.reset();
    const foreign = await failure(
      iot.listJobs({ pageSize: 5, pageToken: first.nextToken, filter: { status: 'COMPLETED' } }),
    );
    expect(foreign).toMatchObject({
      code: 'BAD_USER_INPUT',
      attempts: 1,
      upstreamCode: 'InvalidRequestException',
    });
    expect((await failure(iot.listJobs({ pageSize: 5, pageToken: 'forged' }))).code).toBe(
      'BAD_USER_INPUT',
    );
    expect(sim.counters.snapshot().total).toBe(2);
  });

  it('retries a refused connection and gives UPSTREAM_UNAVAILABLE', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const attempts: number[] = [];
    const upstream = client(
      { onAttempt: (o) => attempts.push(o.attempt) },
      `http://127.0.0.1:${port}`,
    );
    const error = await failure(upstream.listJobs({ pageSize: 5 }));
    expect(error).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      upstreamCode: 'ECONNREFUSED',
      attempts: 3,
    });
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('stops retrying when the retry budget is empty', async () => {
    sim.faults.set({ errorRate: 1 });
    // Room for exactly two retries: 10 tokens at 5 per retry.
    const budget = new RetryBudget(10, 5, 1);
    const upstream = client({ budget });
    expect((await failure(upstream.listJobs({ pageSize: 5 }))).attempts).toBe(3);
    expect(budget.available).toBe(0);
    expect((await failure(upstream.listJobs({ pageSize: 5 }))).attempts).toBe(1);
    expect((await failure(upstream.describeJob('x'))).attempts).toBe(1);
    expect(sim.counters.snapshot().total).toBe(5);
    sim.faults.reset();
    await upstream.listJobs({ pageSize: 1 });
    expect(budget.available).toBe(1);
  });
});

describe('credentials', () => {
  it('gives UPSTREAM_AUTH for a wrong secret, counted by the simulator, never retried', async () => {
    const upstream = client({
      credentials: async () => ({ ...KEYS, secretAccessKey: 'wrong-secret' }),
    });
    const error = await failure(upstream.listJobs({ pageSize: 5 }));
    expect(error).toMatchObject({
      code: 'UPSTREAM_AUTH',
      httpStatus: 403,
      upstreamCode: 'InvalidSignatureException',
      attempts: 1,
    });
    expect(sim.counters.snapshot()).toMatchObject({ total: 1, authFailures: 1 });
  });

  it('gives UPSTREAM_AUTH for an unknown access key', async () => {
    const upstream = client({ credentials: async () => ({ ...KEYS, accessKeyId: 'AKIDNOPE' }) });
    expect(await failure(upstream.describeJob('x'))).toMatchObject({
      code: 'UPSTREAM_AUTH',
      upstreamCode: 'UnrecognizedClientException',
    });
  });

  it('gives UPSTREAM_NO_CREDENTIALS when the credentials provider fails, and sends nothing', async () => {
    const upstream = client({
      credentials: async () => {
        throw new Error('no credentials in the chain: AKIDSECRETLOOKING');
      },
    });
    const error = await failure(upstream.listJobs({ pageSize: 5 }));
    expect(error.code).toBe('UPSTREAM_NO_CREDENTIALS');
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('AKIDSECRET');
    expect(sim.counters.snapshot().total).toBe(0);
  });

  it('never carries the upstream message, headers or credentials', async () => {
    sim.faults.set({ throttleRate: 1 });
    const throttled = await failure(iot.listJobs({ pageSize: 5 }));
    sim.faults.reset();
    const denied = await failure(
      client({ credentials: async () => ({ ...KEYS, secretAccessKey: 'wrong-secret' }) }).listJobs({
        pageSize: 5,
      }),
    );
    for (const error of [throttled, denied]) {
      const everything = `${error.message} ${JSON.stringify(error)} ${String(error.cause)} ${error.stack}`;
      expect(everything).not.toMatch(
        /Rate exceeded|signature we calculated|AKIDEXAMPLE|wrong-secret/,
      );
      expect(error.cause).toBeUndefined();
    }
  });
});

describe('answers the simulator never gives, from a canned server', () => {
  interface Canned {
    status: number;
    headers?: Record<string, string>;
    body: string;
  }
  let next: Canned = { status: 200, body: '{}' };
  let hits = 0;
  let url = '';
  const server = createHttpServer((request, response) => {
    hits++;
    if (next.status === 0) {
      request.socket.destroy();
      return;
    }
    response.writeHead(next.status, {
      'content-type': 'application/json',
      'x-amzn-RequestId': 'req-1234',
      ...next.headers,
    });
    response.end(next.body);
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  beforeEach(() => {
    hits = 0;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('maps moto-style data: unknown enum values kept as sent and reported, scientific-notation timestamps parse', async () => {
    next = {
      status: 200,
      body: '{"jobs":[{"jobId":"00042","status":"QUEUED","targetSelection":"SOMETIMES","createdAt":1.700000000123E9}],"nextToken":null}',
    };
    const reported: string[] = [];
    const reporting = client(
      { onUnknownValue: (field, value) => reported.push(`${field}=${value}`) },
      url,
    );
    expect(await reporting.listJobs({ pageSize: 5 })).toEqual({
      items: [
        {
          kind: 'iot',
          region: REGION,
          jobId: '00042',
          jobArn: null,
          thingGroupId: null,
          targetSelection: 'SOMETIMES',
          status: 'QUEUED',
          createdAt: new Date('2023-11-14T22:13:20.123Z'),
          lastUpdatedAt: null,
          completedAt: null,
          isConcurrent: null,
        },
      ],
      nextToken: null,
    });
    expect(reported).toEqual(['IotJob.targetSelection=SOMETIMES', 'IotJob.status=QUEUED']);
  });

  it('treats an empty nextToken as the end and a job without id as a bad response', async () => {
    next = { status: 200, body: '{"jobs":[],"nextToken":""}' };
    expect(await client({}, url).listJobs({ pageSize: 5 })).toEqual({ items: [], nextToken: null });
    next = { status: 200, body: '{"jobs":[{"status":"IN_PROGRESS"}]}' };
    expect((await failure(client({}, url).listJobs({ pageSize: 5 }))).code).toBe(
      'UPSTREAM_BAD_RESPONSE',
    );
  });

  it.each<[string, Canned, string, string | undefined, number]>([
    [
      'InternalFailureException 500',
      { status: 500, headers: { 'x-amzn-ErrorType': 'InternalFailureException:' }, body: '{}' },
      'UPSTREAM_UNAVAILABLE',
      'InternalFailureException',
      3,
    ],
    [
      'an HTML 502 from a proxy',
      { status: 502, body: '<html>Bad Gateway</html>' },
      'UPSTREAM_UNAVAILABLE',
      undefined,
      3,
    ],
    [
      'AccessDeniedException in __type',
      { status: 403, body: '{"__type":"AccessDeniedException","message":"no"}' },
      'UPSTREAM_AUTH',
      'AccessDeniedException',
      1,
    ],
    [
      'ExpiredTokenException in code',
      { status: 400, body: '{"code":"ExpiredTokenException","message":"expired"}' },
      'UPSTREAM_AUTH',
      'ExpiredTokenException',
      1,
    ],
    ['a bare 403', { status: 403, body: '' }, 'UPSTREAM_AUTH', undefined, 1],
    [
      'a 404 that is not ResourceNotFoundException',
      { status: 404, body: 'Not Found' },
      'UPSTREAM_BAD_RESPONSE',
      undefined,
      1,
    ],
    [
      'TooManyRequestsException 429',
      { status: 429, body: '{"__type":"TooManyRequestsException"}' },
      'UPSTREAM_THROTTLED',
      'TooManyRequestsException',
      3,
    ],
    [
      'a closed socket (socket hang up)',
      { status: 0, body: '' },
      'UPSTREAM_UNAVAILABLE',
      undefined,
      3,
    ],
  ])('classifies %s', async (_name, canned, code, upstreamCode, attempts) => {
    next = canned;
    const error = await failure(client({}, url).describeJob('job-1'));
    expect(error.code).toBe(code);
    expect(error.attempts).toBe(attempts);
    expect(hits).toBe(attempts);
    if (upstreamCode) expect(error.upstreamCode).toBe(upstreamCode);
    if (canned.status !== 0) {
      expect(error.httpStatus).toBe(canned.status);
      expect(error.requestId).toBe('req-1234');
    }
  });
});
