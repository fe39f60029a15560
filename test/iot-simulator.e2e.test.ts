import {
  DescribeJobCommand,
  DescribeThingGroupCommand,
  IoTClient,
  type JobSummary,
  ListJobsCommand,
  paginateListJobs,
} from '@aws-sdk/client-iot';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDataset, type Dataset, type SimIotJob } from '../src/simulators/dataset.js';
import { createIotSimulator, type IotSimulator } from '../src/simulators/iot-server.js';
import { failureOf, signedIotRequest, TEST_CREDENTIALS } from './simulator-requests.js';

/**
 * The simulator judged by clients that are not ours: the plain AWS SDK v3 with its default
 * configuration, and hand-signed requests for what the SDK refuses to send.
 */

const CREDENTIALS = TEST_CREDENTIALS;
const REGION = 'us-east-1';

let dataset: Dataset;
let sim: IotSimulator;
let sdk: IoTClient;

beforeAll(async () => {
  dataset = createDataset({ iotJobs: 1000 });
  sim = await createIotSimulator({ dataset, credentials: CREDENTIALS });
  sdk = new IoTClient({ region: REGION, endpoint: sim.url, credentials: CREDENTIALS });
});

beforeEach(() => sim.counters.reset());

afterEach(() => {
  sim.faults.reset();
  sim.quirks.emptyPages = false;
  sim.quirks.repeatToken = false;
});

afterAll(async () => {
  sdk.destroy();
  await sim.close();
});

/** A GET signed by hand, for what the SDK refuses to send. */
function signedGet(
  path: string,
  query: string,
  options: { secret?: string; signed?: boolean } = {},
): Promise<Response> {
  return signedIotRequest(sim.url, { path, query, ...options });
}

const ids = (jobs: readonly { jobId?: string | undefined }[]) => jobs.map((j) => j.jobId);

function expectSummary(summary: JobSummary | undefined, job: SimIotJob): void {
  expect(summary).toEqual({
    jobArn: job.jobArn,
    jobId: job.jobId,
    ...(job.thingGroup ? { thingGroupId: job.thingGroup.id } : {}),
    targetSelection: job.targetSelection,
    status: job.status,
    createdAt: job.createdAt,
    lastUpdatedAt: job.lastUpdatedAt,
    ...(job.completedAt ? { completedAt: job.completedAt } : {}),
    isConcurrent: job.isConcurrent,
  });
}

describe('ListJobs with the plain SDK v3 client', () => {
  it('pages through every job, newest first, with ListJobsCommand', async () => {
    const seen: JobSummary[] = [];
    const tokens: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sdk.send(new ListJobsCommand({ maxResults: 100, nextToken }));
      seen.push(...(page.jobs ?? []));
      nextToken = page.nextToken;
      if (nextToken) tokens.push(nextToken);
    } while (nextToken);
    expect(ids(seen)).toEqual(ids(dataset.iotJobs));
    dataset.iotJobs.forEach((job, i) => {
      expectSummary(seen[i], job);
    });
    expect(tokens).toHaveLength(9);
    // Every token carries characters that must be percent-encoded on the wire and when signing.
    for (const token of tokens) expect(token).toMatch(/=$/);
    expect(tokens.some((t) => /[+/]/.test(t))).toBe(true);
    expect(sim.counters.snapshot().byOperation).toEqual({ ListJobs: 10 });
  });

  it('pages through every job with paginateListJobs, and defaults to 50 per page', async () => {
    const pages: number[] = [];
    const seen: JobSummary[] = [];
    for await (const page of paginateListJobs({ client: sdk, pageSize: 250 }, {})) {
      pages.push(page.jobs?.length ?? 0);
      seen.push(...(page.jobs ?? []));
    }
    expect(pages).toEqual([250, 250, 250, 250]);
    expect(ids(seen)).toEqual(ids(dataset.iotJobs));
    const first = await sdk.send(new ListJobsCommand({}));
    expect(first.jobs).toHaveLength(50);
  });

  it('omits nextToken on the last page', async () => {
    const response = await signedGet('/jobs', 'status=CANCELED&maxResults=250');
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(200);
    expect(Object.keys(body)).toEqual(['jobs']);
    expect(body.jobs).toHaveLength(dataset.iotJobs.filter((j) => j.status === 'CANCELED').length);
  });

  it('sends timestamps as epoch-second numbers with millisecond fractions', async () => {
    const text = await (await signedGet('/jobs', 'maxResults=5')).text();
    const job = dataset.iotJobs[0] as SimIotJob;
    expect(text).toContain(`"createdAt":${job.createdAt.getTime() / 1000}`);
    expect(text).toMatch(/"createdAt":\d{10}(\.\d{1,3})?[,}]/);
  });

  it('rejects maxResults 0, 251 and non-integers with InvalidRequestException', async () => {
    for (const maxResults of ['0', '251', '1.5', 'ten', '-1', '']) {
      const response = await signedGet('/jobs', `maxResults=${maxResults}`);
      expect(response.status, maxResults).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toMatch(/^InvalidRequestException:/);
    }
    const error = await failureOf(sdk.send(new ListJobsCommand({ maxResults: 251 })));
    expect(error.name).toBe('InvalidRequestException');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
    for (const maxResults of ['1', '250']) {
      expect((await signedGet('/jobs', `maxResults=${maxResults}`)).status).toBe(200);
    }
  });

  it('rejects unknown enum values and bad patterns in filters', async () => {
    const error = await failureOf(
      sdk.send(new ListJobsCommand({ status: 'QUEUED' as 'IN_PROGRESS' })),
    );
    expect(error.name).toBe('InvalidRequestException');
    expect((await signedGet('/jobs', 'thingGroupName=a%20b')).status).toBe(400);
  });

  it('refuses forged, garbled and other-filter tokens', async () => {
    const page = await sdk.send(new ListJobsCommand({ maxResults: 10 }));
    const token = page.nextToken as string;
    const flipped = `${token[0] === 'A' ? 'B' : 'A'}${token.slice(1)}`;
    for (const bad of [flipped, 'garbled', `${token}x`, token.slice(0, -4)]) {
      const error = await failureOf(
        sdk.send(new ListJobsCommand({ maxResults: 10, nextToken: bad })),
      );
      expect(error.name, bad).toBe('InvalidRequestException');
      expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
    }
    const otherFilter = await failureOf(
      sdk.send(new ListJobsCommand({ maxResults: 10, nextToken: token, status: 'COMPLETED' })),
    );
    expect(otherFilter.name).toBe('InvalidRequestException');
  });

  it('treats a token as a position: another maxResults resumes at the same job', async () => {
    const first = await sdk.send(new ListJobsCommand({ maxResults: 7 }));
    const token = first.nextToken as string;
    for (const maxResults of [1, 3, 20, 250]) {
      const page = await sdk.send(new ListJobsCommand({ maxResults, nextToken: token }));
      expect(page.jobs?.[0]?.jobId).toBe(dataset.iotJobs[7]?.jobId);
      expect(page.jobs).toHaveLength(maxResults);
    }
  });
});

describe('DescribeJob and DescribeThingGroup with the plain SDK v3 client', () => {
  it('returns every DescribeJob field the dataset has', async () => {
    const canceled = dataset.iotJobs.find(
      (j) => j.status === 'CANCELED' && j.namespaceId,
    ) as SimIotJob;
    const output = await sdk.send(new DescribeJobCommand({ jobId: canceled.jobId }));
    expect(output.documentSource).toBe(canceled.documentSource);
    expect(output.job).toEqual({
      jobArn: canceled.jobArn,
      jobId: canceled.jobId,
      targetSelection: canceled.targetSelection,
      status: 'CANCELED',
      forceCanceled: canceled.forceCanceled,
      reasonCode: canceled.reasonCode,
      comment: canceled.comment,
      targets: canceled.targets,
      description: canceled.description,
      createdAt: canceled.createdAt,
      lastUpdatedAt: canceled.lastUpdatedAt,
      completedAt: canceled.completedAt,
      jobProcessDetails: canceled.processDetails,
      namespaceId: canceled.namespaceId,
      ...(canceled.jobTemplateArn ? { jobTemplateArn: canceled.jobTemplateArn } : {}),
      isConcurrent: canceled.isConcurrent,
    });
  });

  it('describes a job with a leading-zero id and no completedAt', async () => {
    const job = dataset.iotJobs.find(
      (j) => /^00\d+$/.test(j.jobId) && j.completedAt === null,
    ) as SimIotJob;
    const output = await sdk.send(new DescribeJobCommand({ jobId: job.jobId }));
    expect(output.job?.jobId).toBe(job.jobId);
    expect(output.job).not.toHaveProperty('completedAt');
  });

  it('answers 404 ResourceNotFoundException for an unknown job or group', async () => {
    const job = await failureOf(sdk.send(new DescribeJobCommand({ jobId: 'no-such-job' })));
    expect(job.name).toBe('ResourceNotFoundException');
    expect(job.$metadata).toMatchObject({ httpStatusCode: 404, requestId: expect.any(String) });
    const group = await failureOf(
      sdk.send(new DescribeThingGroupCommand({ thingGroupName: 'no-such-group' })),
    );
    expect(group.name).toBe('ResourceNotFoundException');
    expect(sim.counters.snapshot().byOperation).toEqual({ DescribeJob: 1, DescribeThingGroup: 1 });
  });

  it('describes a thing group whose name needs encoding in the path', async () => {
    const group = dataset.thingGroups.find((g) => g.name.includes(':'));
    expect(group).toBeDefined();
    const output = await sdk.send(
      new DescribeThingGroupCommand({ thingGroupName: group?.name as string }),
    );
    expect(output).toMatchObject({
      thingGroupName: group?.name,
      thingGroupId: group?.id,
      thingGroupArn: group?.arn,
      version: 1,
      thingGroupMetadata: { creationDate: group?.createdAt },
    });
  });
});

describe('authentication', () => {
  it('answers an unsigned request 403 in the restJson1 error shape and counts it', async () => {
    const response = await signedGet('/jobs', '', { signed: false });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toMatch(
      /^MissingAuthenticationTokenException:/,
    );
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({ message: expect.any(String) });
    expect(sim.counters.snapshot().authFailures).toBe(1);
  });

  it('rejects a wrong secret, an unknown key and a stale clock', async () => {
    const wrongSecret = new IoTClient({
      region: REGION,
      endpoint: sim.url,
      credentials: { ...CREDENTIALS, secretAccessKey: 'not-the-secret' },
      maxAttempts: 1,
    });
    const unknownKey = new IoTClient({
      region: REGION,
      endpoint: sim.url,
      credentials: { ...CREDENTIALS, accessKeyId: 'AKIDUNKNOWN' },
      maxAttempts: 1,
    });
    const staleClock = new IoTClient({
      region: REGION,
      endpoint: sim.url,
      credentials: CREDENTIALS,
      maxAttempts: 1,
      systemClockOffset: -20 * 60_000,
    });
    try {
      const bad = await failureOf(wrongSecret.send(new ListJobsCommand({})));
      expect(bad).toMatchObject({
        name: 'InvalidSignatureException',
        $metadata: { httpStatusCode: 403 },
      });
      const unknown = await failureOf(unknownKey.send(new ListJobsCommand({})));
      expect(unknown).toMatchObject({
        name: 'UnrecognizedClientException',
        $metadata: { httpStatusCode: 403 },
      });
      const stale = await failureOf(staleClock.send(new ListJobsCommand({})));
      expect(stale).toMatchObject({
        name: 'InvalidSignatureException',
        message: expect.stringMatching(/^Signature expired/),
      });
      expect(sim.counters.snapshot()).toMatchObject({ authFailures: 3, total: 3 });
    } finally {
      wrongSecret.destroy();
      unknownKey.destroy();
      staleClock.destroy();
    }
  });
});

describe('faults', () => {
  const bare = () =>
    new IoTClient({ region: REGION, endpoint: sim.url, credentials: CREDENTIALS, maxAttempts: 1 });

  it('throttles with HTTP 400 ThrottlingException, fails with 503, after auth only', async () => {
    const client = bare();
    try {
      sim.faults.set({ throttleRate: 1 });
      const throttled = await failureOf(client.send(new ListJobsCommand({})));
      expect(throttled).toMatchObject({
        name: 'ThrottlingException',
        $metadata: { httpStatusCode: 400 },
      });
      sim.faults.set({ throttleRate: 0, errorRate: 1 });
      const unavailable = await failureOf(client.send(new DescribeJobCommand({ jobId: 'x' })));
      expect(unavailable).toMatchObject({
        name: 'ServiceUnavailableException',
        $metadata: { httpStatusCode: 503 },
      });
      const unsigned = await signedGet('/jobs', '', { signed: false });
      expect(unsigned.status).toBe(403);
    } finally {
      client.destroy();
    }
  });

  it('answers 200 with a body that does not parse', async () => {
    sim.faults.set({ malformedRate: 1 });
    const response = await signedGet('/jobs', 'maxResults=3');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.startsWith('{"jobs":[')).toBe(true);
    expect(() => JSON.parse(text)).toThrow();
    const client = bare();
    try {
      const error = await failureOf(client.send(new ListJobsCommand({})));
      expect(error.$fault).toBeUndefined();
      expect(error.$metadata).toMatchObject({ httpStatusCode: 200 });
    } finally {
      client.destroy();
    }
  });

  it('adds latency', async () => {
    sim.faults.set({ latencyMs: 120 });
    const started = performance.now();
    await sdk.send(new ListJobsCommand({ maxResults: 1 }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });

  it('hangs, and counts the request abandoned when the client closes the socket', async () => {
    sim.faults.set({ hang: true });
    const client = bare();
    try {
      const started = performance.now();
      const error = await failureOf(
        client.send(new ListJobsCommand({}), { abortSignal: AbortSignal.timeout(100) }),
      );
      expect(error.name).toBe('AbortError');
      expect(performance.now() - started).toBeLessThan(1000);
      await expect.poll(() => sim.counters.snapshot().abandoned, { timeout: 2000 }).toBe(1);
      expect(sim.counters.snapshot().inFlight).toBe(0);
    } finally {
      client.destroy();
    }
  });
});

describe('quirks', () => {
  it('emptyPages: every page position first answers empty, nothing is lost or repeated', async () => {
    sim.quirks.emptyPages = true;
    const sizes: number[] = [];
    const seen: JobSummary[] = [];
    for await (const page of paginateListJobs({ client: sdk, pageSize: 250 }, {})) {
      sizes.push(page.jobs?.length ?? 0);
      seen.push(...(page.jobs ?? []));
    }
    expect(sizes).toEqual([0, 250, 0, 250, 0, 250, 0, 250]);
    expect(ids(seen)).toEqual(ids(dataset.iotJobs));
  });

  it('repeatToken: the token given is the token returned', async () => {
    sim.quirks.repeatToken = true;
    const first = await sdk.send(new ListJobsCommand({ maxResults: 5 }));
    const token = first.nextToken as string;
    const second = await sdk.send(new ListJobsCommand({ maxResults: 5, nextToken: token }));
    expect(second.nextToken).toBe(token);
    expect(second.jobs?.[0]?.jobId).toBe(dataset.iotJobs[5]?.jobId);
  });
});

describe('shuffled order', () => {
  it('serves one fixed permutation of the jobs, whatever the page size', async () => {
    const shuffled = await createIotSimulator({
      dataset,
      credentials: CREDENTIALS,
      order: 'shuffled',
    });
    const client = new IoTClient({
      region: REGION,
      endpoint: shuffled.url,
      credentials: CREDENTIALS,
    });
    try {
      const walk = async (pageSize: number) => {
        const seen: string[] = [];
        for await (const page of paginateListJobs({ client, pageSize }, {})) {
          for (const job of page.jobs ?? []) seen.push(job.jobId as string);
        }
        return seen;
      };
      const big = await walk(250);
      expect(await walk(7)).toEqual(big);
      expect(new Set(big).size).toBe(1000);
      expect([...big].sort()).toEqual(ids(dataset.iotJobs).sort());
      expect(big).not.toEqual(ids(dataset.iotJobs));
      // Tokens of a differently ordered listing are refused, not misread.
      const foreign = await sdk.send(new ListJobsCommand({ maxResults: 3 }));
      const error = await failureOf(
        client.send(new ListJobsCommand({ maxResults: 3, nextToken: foreign.nextToken })),
      );
      expect(error.name).toBe('InvalidRequestException');
    } finally {
      client.destroy();
      await shuffled.close();
    }
  });
});
