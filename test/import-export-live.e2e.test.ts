import type ImportExport from 'aws-sdk/clients/importexport.js';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDataset, type SimImportExportJob } from '../src/simulators/dataset.js';
import {
  createImportExportSimulator,
  type ImportExportSimulator,
} from '../src/simulators/import-export-server.js';
import { LiveChangeError } from '../src/simulators/live-jobs.js';
import { expectNewestFirst, walkCaseArbitrary, walkWhileChanging } from './live-walk.js';
import { failureOf, TEST_CREDENTIALS } from './simulator-requests.js';

/**
 * The Import/Export simulator's live mode, judged through aws-sdk v2's `AWS.ImportExport`, a
 * client we did not write: Markers on a list that changes between pages, Markers refused as a
 * real service would, and CancelJob/CreateJob changing the list over the wire.
 */

const dataset = createDataset({ seed: 11, iotJobs: 0, importExportJobs: 120 });
const jobAt = (index: number) => dataset.importExportJobs[index] as SimImportExportJob;
const SECOND = 1000;

let sim: ImportExportSimulator;
let sdk: ImportExport;

beforeAll(async () => {
  sim = await createImportExportSimulator({ dataset, credentials: TEST_CREDENTIALS });
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
  const { default: Client } = await import('aws-sdk/clients/importexport.js');
  sdk = new Client({
    endpoint: sim.url,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    maxRetries: 0,
  });
});

beforeEach(() => sim.counters.reset());

afterEach(() => {
  sim.live.reset();
  sim.refuseMarkersOfDeletedJobs = false;
  sim.refuseNextMarkers(0);
});

afterAll(() => sim.close());

const list = (MaxJobs: number, Marker?: string) =>
  sdk.listJobs({ MaxJobs, ...(Marker !== undefined ? { Marker } : {}) }).promise();
const ids = (page: ImportExport.ListJobsOutput) => (page.Jobs ?? []).map((job) => job.JobId);
const idsOf = (jobs: readonly { jobId: string }[]) => jobs.map((job) => job.jobId);

describe('Markers on a changing list', () => {
  it('continue after the marker job, also when jobs before it or the job itself are deleted', async () => {
    const first = await list(5);
    const marker = ids(first)[4] as string;
    const next = idsOf(dataset.importExportJobs.slice(5, 9));
    sim.live.deleteJob(jobAt(1).jobId);
    sim.live.createJob();
    expect(ids(await list(4, marker))).toEqual(next);
    // The marker's own job: continue after the place it had.
    expect(sim.live.deleteJob(marker)).toBe(true);
    expect(ids(await list(4, marker))).toEqual(next);
    sim.refuseMarkersOfDeletedJobs = true;
    expect(await failureOf(list(4, marker))).toMatchObject({
      code: 'InvalidParameterException',
      statusCode: 400,
    });
    // A marker that never was a job is refused either way.
    sim.refuseMarkersOfDeletedJobs = false;
    expect(await failureOf(list(4, 'NEVER1'))).toMatchObject({ code: 'InvalidParameterException' });
  });

  it('refuseNextMarkers(n): the next n requests with a Marker are refused, others pass', async () => {
    const marker = ids(await list(3))[2] as string;
    sim.refuseNextMarkers(2);
    expect(await failureOf(list(3, marker))).toMatchObject({ code: 'InvalidParameterException' });
    expect(ids(await list(3))).toEqual(idsOf(dataset.importExportJobs.slice(0, 3)));
    expect(await failureOf(list(3, marker))).toMatchObject({ code: 'InvalidParameterException' });
    expect(ids(await list(3, marker))).toEqual(idsOf(dataset.importExportJobs.slice(3, 6)));
  });

  it('every job that exists for the whole walk exactly once, nothing twice (property)', async () => {
    await fc.assert(
      fc.asyncProperty(walkCaseArbitrary(30, [1, 7, 250, 2]), async (c) => {
        const start = createDataset({ seed: c.seed, iotJobs: 0, importExportJobs: c.size });
        sim.live.replaceJobs(start.importExportJobs);
        const { seen, createdAt } = await walkWhileChanging(
          sim.live,
          start.importExportJobs,
          c,
          async (maxJobs, delivered) => {
            const answer = await list(maxJobs, delivered[delivered.length - 1]);
            return { ids: ids(answer) as string[], more: answer.IsTruncated === true };
          },
        );
        expectNewestFirst(seen, createdAt);
      }),
      { numRuns: 30 },
    );
  });
});

describe('write operations through aws-sdk v2', () => {
  it('CancelJob answers Success and cancels; canceled, completed and unknown jobs are refused', async () => {
    const job = dataset.importExportJobs.find(
      (j) => !j.isCanceled && j.progressCode !== 'Complete',
    ) as SimImportExportJob;
    expect(await sdk.cancelJob({ JobId: job.jobId }).promise()).toMatchObject({ Success: true });
    const status = await sdk.getStatus({ JobId: job.jobId }).promise();
    expect(status).toMatchObject({ JobId: job.jobId, ProgressCode: 'Canceled' });
    const page = await list(120);
    expect(page.Jobs?.find((j) => j.JobId === job.jobId)).toMatchObject({ IsCanceled: true });

    expect(await failureOf(sdk.cancelJob({ JobId: job.jobId }).promise())).toMatchObject({
      code: 'CanceledJobIdException',
      statusCode: 400,
    });
    const complete = dataset.importExportJobs.find(
      (j) => j.progressCode === 'Complete',
    ) as SimImportExportJob;
    expect(await failureOf(sdk.cancelJob({ JobId: complete.jobId }).promise())).toMatchObject({
      code: 'UnableToCancelJobIdException',
    });
    expect(await failureOf(sdk.cancelJob({ JobId: 'NOSUCH' }).promise())).toMatchObject({
      code: 'InvalidJobIdException',
    });
    expect(sim.counters.snapshot().byOperation).toMatchObject({ CancelJob: 4 });
  });

  it('CreateJob adds the newest job with its manifest; ValidateOnly creates nothing', async () => {
    const manifest = 'manifestVersion:2.0\nbucket:my-import-bucket\ndeviceId:ABCDE\n';
    const created = await sdk
      .createJob({ JobType: 'Export', Manifest: manifest, ValidateOnly: false })
      .promise();
    expect(created).toMatchObject({
      JobId: expect.stringMatching(/^(EX|IM|AB|ZK)[0-9A-F]{5}$/),
      JobType: 'Export',
      Signature: expect.stringMatching(/=$/),
      SignatureFileContents: expect.stringContaining(`jobId:${created.JobId}`),
      ArtifactList: [],
    });
    const first = await list(1);
    expect(first.Jobs?.[0]).toMatchObject({ JobId: created.JobId, JobType: 'Export' });
    expect(first.Jobs?.[0]?.CreationDate?.getTime()).toBeGreaterThan(jobAt(0).createdAt.getTime());
    const status = await sdk.getStatus({ JobId: created.JobId as string }).promise();
    expect(status).toMatchObject({ CurrentManifest: manifest, ProgressCode: 'Pending' });

    const validated = await sdk
      .createJob({ JobType: 'Import', Manifest: manifest, ValidateOnly: true })
      .promise();
    expect(validated.JobId).toBeUndefined();
    expect(sim.live.jobs()).toHaveLength(121);
    expect(
      await failureOf(
        sdk.createJob({ JobType: 'Import', Manifest: 'bucket:b', ValidateOnly: false }).promise(),
      ),
    ).toMatchObject({ code: 'MissingManifestFieldException' });
    expect(
      await failureOf(
        sdk.createJob({ JobType: 'Transfer', Manifest: manifest, ValidateOnly: false }).promise(),
      ),
    ).toMatchObject({ code: 'InvalidParameterException' });
    expect(sim.live.jobs()).toHaveLength(121);
    expect(sim.counters.snapshot().byOperation).toMatchObject({ CreateJob: 4 });
  });
});

describe('the live control', () => {
  it('createJob: newest, whole seconds, a second apart within one second, unique ids', () => {
    const a = sim.live.createJob();
    const b = sim.live.createJob();
    expect(a.createdAt.getTime() % SECOND).toBe(0);
    expect(a.createdAt.getTime()).toBeGreaterThan(jobAt(0).createdAt.getTime());
    expect(b.createdAt.getTime() - a.createdAt.getTime()).toBeGreaterThanOrEqual(SECOND);
    expect(new Set([a.jobType, b.jobType])).toEqual(new Set(['Import', 'Export']));
    expect(sim.live.jobs().slice(0, 2)).toEqual([b, a]);
    expect(() => sim.live.createJob({ jobId: a.jobId })).toThrow(LiveChangeError);
    const placed = sim.live.createJob({
      jobId: 'PLACED',
      createdAt: new Date(jobAt(3).createdAt.getTime() - 1),
    });
    expect(placed.createdAt.getTime() % SECOND).toBe(0);
    expect(sim.live.jobs().indexOf(placed)).toBe(6);
  });

  it('deleteJob removes a job from ListJobs and GetStatus; cancel and setJobType report existence', async () => {
    expect(sim.live.deleteJob(jobAt(0).jobId)).toBe(true);
    expect(ids(await list(1))).toEqual([jobAt(1).jobId]);
    expect(await failureOf(sdk.getStatus({ JobId: jobAt(0).jobId }).promise())).toMatchObject({
      code: 'InvalidJobIdException',
    });
    expect(sim.live.deleteJob(jobAt(0).jobId)).toBe(false);
    expect(sim.live.cancelJob('NOSUCH')).toBe(false);
    expect(sim.live.setJobType('NOSUCH', 'Import')).toBe(false);
  });

  it('a job type the API does not define is served as the raw string', async () => {
    expect(sim.live.setJobType(jobAt(0).jobId, 'Transfer')).toBe(true);
    expect((await list(1)).Jobs?.[0]).toMatchObject({ JobId: jobAt(0).jobId, JobType: 'Transfer' });
    const status = await sdk.getStatus({ JobId: jobAt(0).jobId }).promise();
    expect(status.JobType).toBe('Transfer');
  });

  it('replaceJobs forgets tombstones: a marker of a job deleted before is then unknown', async () => {
    const marker = jobAt(3).jobId;
    sim.live.deleteJob(marker);
    expect(ids(await list(1, marker))).toEqual([jobAt(4).jobId]);
    sim.live.replaceJobs(sim.live.jobs());
    expect(await failureOf(list(1, marker))).toMatchObject({ code: 'InvalidParameterException' });
    expect(() => sim.live.replaceJobs([jobAt(0), jobAt(0)])).toThrow(LiveChangeError);
    sim.live.reset();
    expect(sim.live.jobs()).toEqual(dataset.importExportJobs);
  });
});

describe('counters', () => {
  it('listed counts the jobs served by ListJobs, refused requests adding none', async () => {
    let marker: string | undefined;
    for (;;) {
      const page = await list(50, marker);
      marker = ids(page).at(-1);
      if (!page.IsTruncated) break;
    }
    expect(sim.counters.snapshot()).toMatchObject({ listed: 120, byOperation: { ListJobs: 3 } });
    await failureOf(list(5, 'NEVER1'));
    await sdk.getStatus({ JobId: jobAt(0).jobId }).promise();
    expect(sim.counters.snapshot().listed).toBe(120);
    sim.counters.reset();
    expect(sim.counters.snapshot().listed).toBe(0);
  });
});
