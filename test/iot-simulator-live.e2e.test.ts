import {
  CancelJobCommand,
  CreateJobCommand,
  DeleteJobCommand,
  DescribeJobCommand,
  IoTClient,
  ListJobsCommand,
  type ListJobsCommandOutput,
} from '@aws-sdk/client-iot';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDataset, type Dataset, type SimIotJob } from '../src/simulators/dataset.js';
import { createIotSimulator, type IotSimulator } from '../src/simulators/iot-server.js';
import { LiveChangeError } from '../src/simulators/live-jobs.js';
import {
  expectNewestFirst,
  type WalkCase,
  walkCaseArbitrary,
  walkWhileChanging,
} from './live-walk.js';
import { failureOf, signedIotRequest, TEST_CREDENTIALS } from './simulator-requests.js';

/**
 * The IoT simulator's live mode, judged through the AWS SDK v3 and hand-signed requests: a list
 * that changes between pages, tokens that continue after a key, tokens refused as a real service
 * refuses them, and the write operations that change the list over the wire.
 */

const REGION = 'us-east-1';
const dataset: Dataset = createDataset({ seed: 7, iotJobs: 200, importExportJobs: 0 });
const jobAt = (index: number) => dataset.iotJobs[index] as SimIotJob;

let sim: IotSimulator;
let shuffled: IotSimulator;
let sdk: IoTClient;
let shuffledSdk: IoTClient;

const clientOf = (target: IotSimulator, region = REGION) =>
  new IoTClient({ region, endpoint: target.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });

beforeAll(async () => {
  [sim, shuffled] = await Promise.all([
    createIotSimulator({ dataset, credentials: TEST_CREDENTIALS }),
    createIotSimulator({ dataset, credentials: TEST_CREDENTIALS, order: 'shuffled' }),
  ]);
  sdk = clientOf(sim);
  shuffledSdk = clientOf(shuffled);
});

beforeEach(() => sim.counters.reset());

afterEach(() => {
  for (const target of [sim, shuffled]) {
    target.live.reset();
    target.tokenTtlMs = undefined;
    target.refuseTokensOfDeletedJobs = false;
    target.refuseNextTokens(0);
    target.quirks.emptyPages = false;
    target.quirks.repeatToken = false;
  }
});

afterAll(async () => {
  sdk.destroy();
  shuffledSdk.destroy();
  await Promise.all([sim.close(), shuffled.close()]);
});

const ids = (page: ListJobsCommandOutput) => (page.jobs ?? []).map((job) => job.jobId as string);
const between = (a: SimIotJob, b: SimIotJob) =>
  new Date((a.createdAt.getTime() + b.createdAt.getTime()) / 2);

describe('tokens continue after a key', () => {
  it('creations and deletions before a token, and of its own key job, do not shift it', async () => {
    const first = await sdk.send(new ListJobsCommand({ maxResults: 10 }));
    expect(ids(first)).toEqual(dataset.iotJobs.slice(0, 10).map((j) => j.jobId));
    const token = first.nextToken as string;
    const next = dataset.iotJobs.slice(10, 13).map((j) => j.jobId);

    sim.live.deleteJob(jobAt(2).jobId);
    sim.live.createJob();
    sim.live.createJob({ createdAt: between(jobAt(4), jobAt(5)) });
    expect(ids(await sdk.send(new ListJobsCommand({ maxResults: 3, nextToken: token })))).toEqual(
      next,
    );

    // The token's key job itself: the token continues after the place it had.
    expect(sim.live.deleteJob(jobAt(9).jobId)).toBe(true);
    expect(ids(await sdk.send(new ListJobsCommand({ maxResults: 3, nextToken: token })))).toEqual(
      next,
    );

    // A job created after the key in listing order is the next one the token reaches.
    const late = sim.live.createJob({ createdAt: between(jobAt(9), jobAt(10)) });
    const page = await sdk.send(new ListJobsCommand({ maxResults: 3, nextToken: token }));
    expect(ids(page)).toEqual([late.jobId, ...next.slice(0, 2)]);
  });

  it('does not depend on maxResults, also after changes', async () => {
    const token = (await sdk.send(new ListJobsCommand({ maxResults: 20 }))).nextToken;
    sim.live.deleteJob(jobAt(0).jobId);
    sim.live.createJob();
    for (const maxResults of [1, 7, 250]) {
      const page = await sdk.send(new ListJobsCommand({ maxResults, nextToken: token }));
      expect(page.jobs?.[0]?.jobId).toBe(jobAt(20).jobId);
      expect(page.jobs).toHaveLength(Math.min(maxResults, 180));
    }
  });

  it('refuses a token of a deleted key job with refuseTokensOfDeletedJobs, and only then', async () => {
    const token = (await sdk.send(new ListJobsCommand({ maxResults: 5 }))).nextToken;
    sim.refuseTokensOfDeletedJobs = true;
    sim.live.deleteJob(jobAt(3).jobId); // before the key: no matter
    expect(ids(await sdk.send(new ListJobsCommand({ maxResults: 1, nextToken: token })))).toEqual([
      jobAt(5).jobId,
    ]);
    sim.live.deleteJob(jobAt(4).jobId); // the key job
    const refused = await failureOf(
      sdk.send(new ListJobsCommand({ maxResults: 1, nextToken: token })),
    );
    expect(refused).toMatchObject({
      name: 'InvalidRequestException',
      message: 'The pagination token is no longer valid.',
      $metadata: { httpStatusCode: 400 },
    });
    sim.refuseTokensOfDeletedJobs = false;
    expect(ids(await sdk.send(new ListJobsCommand({ maxResults: 1, nextToken: token })))).toEqual([
      jobAt(5).jobId,
    ]);
  });

  it('keeps tokens opaque, padded base64 with characters to encode, bound to the filter', async () => {
    const tokens: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sdk.send(new ListJobsCommand({ maxResults: 9, nextToken }));
      nextToken = page.nextToken;
      if (nextToken) tokens.push(nextToken);
    } while (nextToken);
    expect(tokens).toHaveLength(22);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9+/]+=$/);
      // The key job's id is not readable in the token.
      expect(Buffer.from(token, 'base64').toString('latin1')).not.toMatch(/job-\d{4}/);
    }
    expect(tokens.some((token) => /[+/]/.test(token))).toBe(true);
    const refused = await failureOf(
      sdk.send(new ListJobsCommand({ nextToken: tokens[0], status: 'CANCELED' })),
    );
    expect(refused).toMatchObject({
      name: 'InvalidRequestException',
      message: 'The pagination token does not match the request parameters.',
    });
  });

  it('shuffled order: new jobs land anywhere, and a token still continues after its key', async () => {
    const first = await shuffledSdk.send(new ListJobsCommand({ maxResults: 5 }));
    const lastSeen = ids(first)[4] as string;
    const created = Array.from({ length: 20 }, () => shuffled.live.createJob().jobId);
    shuffled.live.deleteJob(ids(first)[1] as string);
    const listing = shuffled.live.jobs().map((job) => job.jobId);
    const places = created.map((id) => listing.indexOf(id));
    expect(Math.min(...places)).toBeLessThan(listing.length / 2);
    expect(Math.max(...places)).toBeGreaterThan(listing.length / 2);

    const next = await shuffledSdk.send(
      new ListJobsCommand({ maxResults: 7, nextToken: first.nextToken }),
    );
    const at = listing.indexOf(lastSeen);
    expect(ids(next)).toEqual(listing.slice(at + 1, at + 8));
    // Tokens of one order are refused by a simulator of the other.
    const foreign = await failureOf(
      sdk.send(new ListJobsCommand({ maxResults: 7, nextToken: first.nextToken })),
    );
    expect(foreign.name).toBe('InvalidRequestException');
  });

  it('empty-pages quirk: the empty first page hands over a token from the start', async () => {
    sim.quirks.emptyPages = true;
    const empty = await sdk.send(new ListJobsCommand({ maxResults: 4 }));
    expect(empty.jobs).toEqual([]);
    const created = sim.live.createJob();
    const page = await sdk.send(new ListJobsCommand({ maxResults: 4, nextToken: empty.nextToken }));
    expect(ids(page)).toEqual([created.jobId, ...dataset.iotJobs.slice(0, 3).map((j) => j.jobId)]);
  });

  describe('walks on a changing list (property)', () => {
    const walkCase = walkCaseArbitrary(40, [1, 7, 250, 2, 3]);

    async function walk(target: IotSimulator, client: IoTClient, c: WalkCase) {
      const start = createDataset({ seed: c.seed, iotJobs: c.size, importExportJobs: 0 });
      target.live.replaceJobs(start.iotJobs);
      let nextToken: string | undefined;
      return walkWhileChanging(target.live, start.iotJobs, c, async (maxResults) => {
        const answer = await client.send(new ListJobsCommand({ maxResults, nextToken }));
        nextToken = answer.nextToken;
        return { ids: ids(answer), more: nextToken !== undefined };
      });
    }

    it('newest first: every job that exists throughout exactly once, nothing twice', async () => {
      await fc.assert(
        fc.asyncProperty(walkCase, async (c) => {
          const { seen, createdAt } = await walk(sim, sdk, c);
          expectNewestFirst(seen, createdAt);
        }),
        { numRuns: 40 },
      );
    });

    it('shuffled: the same guarantees on a list of unknown order', async () => {
      await fc.assert(
        fc.asyncProperty(walkCase, async (c) => {
          await walk(shuffled, shuffledSdk, c);
        }),
        { numRuns: 40 },
      );
    });
  });
});

describe('token refusal as real upstreams do', () => {
  it('tokenTtlMs: a token older than the TTL is refused as expired', async () => {
    let offset = 0;
    const clocked = await createIotSimulator({
      dataset,
      credentials: TEST_CREDENTIALS,
      now: () => Date.now() + offset,
      tokenTtlMs: 60_000,
    });
    const client = clientOf(clocked);
    try {
      const token = (await client.send(new ListJobsCommand({ maxResults: 2 }))).nextToken;
      offset = 30_000;
      const fresh = await client.send(new ListJobsCommand({ maxResults: 2, nextToken: token }));
      expect(ids(fresh)).toEqual([jobAt(2).jobId, jobAt(3).jobId]);
      offset = 90_000;
      const expired = await failureOf(
        client.send(new ListJobsCommand({ maxResults: 2, nextToken: token })),
      );
      expect(expired).toMatchObject({
        name: 'InvalidRequestException',
        message: 'The pagination token has expired.',
        $metadata: { httpStatusCode: 400 },
      });
      // A token issued now is fresh; turning expiry off accepts the old one again.
      const now = await client.send(new ListJobsCommand({ maxResults: 2 }));
      expect(
        (await client.send(new ListJobsCommand({ maxResults: 2, nextToken: now.nextToken }))).jobs,
      ).toHaveLength(2);
      clocked.tokenTtlMs = undefined;
      expect(
        (await client.send(new ListJobsCommand({ maxResults: 2, nextToken: token }))).jobs,
      ).toHaveLength(2);
    } finally {
      client.destroy();
      await clocked.close();
    }
  });

  it('refuseNextTokens(n): the next n requests with a token are refused, others pass', async () => {
    const token = (await sdk.send(new ListJobsCommand({ maxResults: 3 }))).nextToken;
    sim.refuseNextTokens(2);
    const first = await failureOf(
      sdk.send(new ListJobsCommand({ maxResults: 3, nextToken: token })),
    );
    expect(first).toMatchObject({
      name: 'InvalidRequestException',
      $metadata: { httpStatusCode: 400 },
    });
    // A request without a token is not counted.
    expect(await sdk.send(new ListJobsCommand({ maxResults: 3 }))).toMatchObject({
      nextToken: expect.any(String),
    });
    const second = await failureOf(
      sdk.send(new ListJobsCommand({ maxResults: 3, nextToken: token })),
    );
    expect(second.name).toBe('InvalidRequestException');
    const third = await sdk.send(new ListJobsCommand({ maxResults: 3, nextToken: token }));
    expect(ids(third)).toEqual(dataset.iotJobs.slice(3, 6).map((j) => j.jobId));
  });
});

describe('write operations through the SDK', () => {
  const group = () => dataset.thingGroups[2] as (typeof dataset.thingGroups)[number];

  it('CreateJob adds the newest job, visible to ListJobs and DescribeJob; a second is refused', async () => {
    const created = await sdk.send(
      new CreateJobCommand({
        jobId: 'sdk-made-1',
        targets: [group().arn],
        document: '{"operation":"reboot"}',
        description: 'Made through the SDK',
        targetSelection: 'CONTINUOUS',
      }),
    );
    expect(created).toMatchObject({
      jobId: 'sdk-made-1',
      jobArn: `arn:aws:iot:${REGION}:123456789012:job/sdk-made-1`,
      description: 'Made through the SDK',
    });
    const page = await sdk.send(new ListJobsCommand({ maxResults: 2 }));
    expect(page.jobs?.[0]).toMatchObject({
      jobId: 'sdk-made-1',
      status: 'IN_PROGRESS',
      targetSelection: 'CONTINUOUS',
      thingGroupId: group().id,
    });
    expect(page.jobs?.[0]?.createdAt?.getTime()).toBeGreaterThan(jobAt(0).createdAt.getTime());
    const described = await sdk.send(new DescribeJobCommand({ jobId: 'sdk-made-1' }));
    expect(described.job).toMatchObject({
      targets: [group().arn],
      description: 'Made through the SDK',
    });

    const again = await failureOf(
      sdk.send(
        new CreateJobCommand({ jobId: 'sdk-made-1', targets: [group().arn], document: '{}' }),
      ),
    );
    expect(again).toMatchObject({
      name: 'ResourceAlreadyExistsException',
      resourceId: 'sdk-made-1',
      $metadata: { httpStatusCode: 409 },
    });
    const noTargets = await failureOf(
      sdk.send(new CreateJobCommand({ jobId: 'sdk-made-2', targets: [], document: '{}' })),
    );
    expect(noTargets.name).toBe('InvalidRequestException');
    const noDocument = await failureOf(
      sdk.send(new CreateJobCommand({ jobId: 'sdk-made-2', targets: [group().arn] })),
    );
    expect(noDocument.name).toBe('InvalidRequestException');
    expect(sim.live.job('sdk-made-2')).toBeUndefined();
    expect(sim.counters.snapshot().byOperation).toMatchObject({ CreateJob: 4, ListJobs: 1 });
  });

  it('CancelJob cancels as the service does; a canceled job cannot be canceled again', async () => {
    const job = dataset.iotJobs.find((j) => j.status === 'IN_PROGRESS') as SimIotJob;
    const answer = await sdk.send(
      new CancelJobCommand({
        jobId: job.jobId,
        reasonCode: 'BAD_FIRMWARE',
        comment: 'Rolled back',
        force: true,
      }),
    );
    expect(answer).toEqual(
      expect.objectContaining({
        jobId: job.jobId,
        jobArn: job.jobArn,
        description: job.description,
      }),
    );
    const described = await sdk.send(new DescribeJobCommand({ jobId: job.jobId }));
    expect(described.job).toMatchObject({
      status: 'CANCELED',
      reasonCode: 'BAD_FIRMWARE',
      comment: 'Rolled back',
      forceCanceled: true,
      completedAt: expect.any(Date),
      createdAt: job.createdAt,
    });
    const again = await failureOf(sdk.send(new CancelJobCommand({ jobId: job.jobId })));
    expect(again).toMatchObject({
      name: 'InvalidRequestException',
      $metadata: { httpStatusCode: 400 },
    });
    const missing = await failureOf(sdk.send(new CancelJobCommand({ jobId: 'no-such-job' })));
    expect(missing).toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
    expect(sim.counters.snapshot().byOperation).toMatchObject({ CancelJob: 3 });
  });

  it('DeleteJob needs force for a job in progress, then the job is gone everywhere', async () => {
    const job = dataset.iotJobs.find((j, i) => i < 50 && j.status === 'IN_PROGRESS') as SimIotJob;
    const refused = await failureOf(sdk.send(new DeleteJobCommand({ jobId: job.jobId })));
    expect(refused).toMatchObject({
      name: 'InvalidStateTransitionException',
      $metadata: { httpStatusCode: 409 },
    });
    expect(sim.live.job(job.jobId)).toBeDefined();
    await sdk.send(new DeleteJobCommand({ jobId: job.jobId, force: true }));
    const gone = await failureOf(sdk.send(new DescribeJobCommand({ jobId: job.jobId })));
    expect(gone.name).toBe('ResourceNotFoundException');
    const all = await sdk.send(new ListJobsCommand({ maxResults: 250 }));
    expect(ids(all)).not.toContain(job.jobId);
    expect(all.jobs).toHaveLength(199);

    const completed = dataset.iotJobs.find((j) => j.status === 'COMPLETED') as SimIotJob;
    await sdk.send(new DeleteJobCommand({ jobId: completed.jobId }));
    expect(sim.live.job(completed.jobId)).toBeUndefined();
    const twice = await failureOf(sdk.send(new DeleteJobCommand({ jobId: completed.jobId })));
    expect(twice).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(sim.counters.snapshot().byOperation).toMatchObject({ DeleteJob: 4 });
  });

  it('verifies the signature over the body: a body changed after signing is refused', async () => {
    const body = JSON.stringify({ targets: [group().arn], document: '{}' });
    const tampered = await signedIotRequest(sim.url, {
      method: 'PUT',
      path: '/jobs/tampered-1',
      body,
      sentBody: body.replace('{}', '{"x":1}'),
    });
    expect(tampered.status).toBe(403);
    expect(tampered.headers.get('x-amzn-errortype')).toMatch(/^InvalidSignatureException:/);
    expect(sim.live.job('tampered-1')).toBeUndefined();
    const honest = await signedIotRequest(sim.url, { method: 'PUT', path: '/jobs/honest-1', body });
    expect(honest.status).toBe(200);
    expect(sim.live.job('honest-1')).toBeDefined();
    const unsigned = await signedIotRequest(sim.url, {
      method: 'DELETE',
      path: '/jobs/honest-1',
      query: 'force=true',
      signed: false,
    });
    expect(unsigned.status).toBe(403);
    expect(sim.live.job('honest-1')).toBeDefined();
  });

  it('answers malformed bodies and bad parameters with InvalidRequestException', async () => {
    const cases = [
      { method: 'PUT', path: '/jobs/bad-1', body: '{"targets":' },
      { method: 'PUT', path: '/jobs/bad-2', body: '[1]' },
      { method: 'PUT', path: '/jobs/bad%20id', body: '{"targets":["x"],"document":"{}"}' },
      { method: 'PUT', path: `/jobs/${jobAt(0).jobId}/cancel`, query: 'force=maybe' },
      { method: 'DELETE', path: `/jobs/${jobAt(0).jobId}`, query: 'force=yes' },
    ];
    for (const request of cases) {
      const response = await signedIotRequest(sim.url, request);
      expect(response.status, JSON.stringify(request)).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toMatch(/^InvalidRequestException:/);
    }
    expect(sim.live.jobs()).toHaveLength(200);
  });
});

describe('values the API does not define stay visible on the wire', () => {
  it('serves a status and a target selection as the raw strings set', async () => {
    sim.live.setStatus(jobAt(0).jobId, 'QUEUED');
    sim.live.setTargetSelection(jobAt(1).jobId, 'SOMETIMES');
    const raw = await signedIotRequest(sim.url, { path: '/jobs', query: 'maxResults=2' });
    const text = await raw.text();
    expect(text).toContain('"status":"QUEUED"');
    expect(text).toContain('"targetSelection":"SOMETIMES"');
    const page = await sdk.send(new ListJobsCommand({ maxResults: 2 }));
    expect(page.jobs?.[0]?.status).toBe('QUEUED');
    expect(page.jobs?.[1]?.targetSelection).toBe('SOMETIMES');
    const described = await sdk.send(new DescribeJobCommand({ jobId: jobAt(0).jobId }));
    expect(described.job?.status).toBe('QUEUED');
    // Filters still only take the API's values; a job with an unknown status matches none.
    const inProgress = await sdk.send(
      new ListJobsCommand({ maxResults: 250, status: jobAt(0).status }),
    );
    expect(ids(inProgress)).not.toContain(jobAt(0).jobId);
  });
});

describe('the live control', () => {
  it('createJob: newest, strictly later even within one millisecond, unique ids', () => {
    const a = sim.live.createJob();
    const b = sim.live.createJob();
    expect(a.createdAt.getTime()).toBeGreaterThan(jobAt(0).createdAt.getTime());
    expect(b.createdAt.getTime()).toBeGreaterThan(a.createdAt.getTime());
    expect(a.jobId).not.toBe(b.jobId);
    expect(a.jobArn).toBe(`arn:aws:iot:${REGION}:123456789012:job/${a.jobId}`);
    expect(sim.live.jobs().slice(0, 2)).toEqual([b, a]);
    expect(() => sim.live.createJob({ jobId: a.jobId })).toThrow(LiveChangeError);
    expect(() => sim.live.createJob({ jobId: 'has space' })).toThrow(LiveChangeError);
    const placed = sim.live.createJob({ jobId: 'placed', createdAt: between(jobAt(4), jobAt(5)) });
    expect(sim.live.jobs().indexOf(placed)).toBe(7);
  });

  it('cancelJob, deleteJob, setStatus report whether the job existed; jobs() is a copy', () => {
    const before = sim.live.jobs();
    expect(sim.live.cancelJob(jobAt(0).jobId)).toBe(true);
    expect(sim.live.job(jobAt(0).jobId)).toMatchObject({
      status: 'CANCELED',
      comment: 'Canceled by operator',
      reasonCode: 'OPERATOR_REQUEST',
    });
    expect(before[0]).toBe(jobAt(0));
    expect(sim.live.cancelJob('nope')).toBe(false);
    expect(sim.live.deleteJob('nope')).toBe(false);
    expect(sim.live.setStatus('nope', 'QUEUED')).toBe(false);
    expect(sim.live.setTargetSelection('nope', 'X')).toBe(false);
  });

  it('replaceJobs swaps the set (refusing duplicate ids), reset restores the dataset', async () => {
    const small = createDataset({ seed: 99, iotJobs: 3, importExportJobs: 0 });
    sim.live.replaceJobs(small.iotJobs);
    expect(ids(await sdk.send(new ListJobsCommand({})))).toEqual(small.iotJobs.map((j) => j.jobId));
    expect(() => sim.live.replaceJobs([jobAt(0), jobAt(0)])).toThrow(LiveChangeError);
    expect(sim.live.jobs()).toHaveLength(3);
    sim.live.reset();
    expect(sim.live.jobs()).toEqual(dataset.iotJobs);
  });
});

describe('counters', () => {
  it('listed counts the job summaries served, empty pages and errors adding none', async () => {
    let nextToken: string | undefined;
    do {
      nextToken = (await sdk.send(new ListJobsCommand({ maxResults: 7, nextToken }))).nextToken;
    } while (nextToken);
    expect(sim.counters.snapshot()).toMatchObject({ listed: 200, byOperation: { ListJobs: 29 } });
    sim.quirks.emptyPages = true;
    await sdk.send(new ListJobsCommand({ maxResults: 7 }));
    await failureOf(sdk.send(new ListJobsCommand({ maxResults: 7, nextToken: 'forged=' })));
    await sdk.send(new DescribeJobCommand({ jobId: jobAt(0).jobId }));
    expect(sim.counters.snapshot().listed).toBe(200);
    const filtered = await sdk.send(new ListJobsCommand({ maxResults: 3, status: 'CANCELED' }));
    expect(sim.counters.snapshot().listed).toBe(200);
    sim.quirks.emptyPages = false;
    await sdk.send(
      new ListJobsCommand({ maxResults: 3, status: 'CANCELED', nextToken: filtered.nextToken }),
    );
    expect(sim.counters.snapshot().listed).toBe(203);
    sim.counters.reset();
    expect(sim.counters.snapshot().listed).toBe(0);
  });
});
