import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_ACCESS_KEY_ID, SIMULATOR_SECRET_ACCESS_KEY } from '../src/config.js';
import { type Simulators, startSimulators } from '../src/simulators/index.js';

// The simulators must satisfy AWS's own clients, not only ours: boto3 (Debian's python3-boto3,
// which npm test installs) pages through both, with its own signing (SigV4 as `execute-api` for
// IoT, SigV4 as `IngestionService` for Import/Export) and its own paginators.
const PYTHON = '/usr/bin/python3';

describe('boto3 against the simulators', () => {
  let simulators: Simulators;
  let answer: {
    iot: string[];
    completed: string[];
    importExport: string[];
    status: { JobId: string; ProgressCode: string };
    missing: string;
  };

  beforeAll(async () => {
    simulators = await startSimulators({
      data: { seed: 11, iotJobs: 130, importExportJobs: 60 },
      credentials: {
        accessKeyId: SIMULATOR_ACCESS_KEY_ID,
        secretAccessKey: SIMULATOR_SECRET_ACCESS_KEY,
      },
    });
    if (!existsSync(PYTHON))
      throw new Error(
        `${PYTHON} is missing: npm test installs python3-boto3 (scripts/test-dependencies.sh)`,
      );
    const { stdout } = await promisify(execFile)(
      PYTHON,
      [new URL('./clients/boto3-pages.py', import.meta.url).pathname],
      {
        env: {
          PATH: process.env.PATH,
          IOT_URL: simulators.iot?.url,
          IE_URL: simulators.importExport?.url,
          KEY_ID: SIMULATOR_ACCESS_KEY_ID,
          SECRET: SIMULATOR_SECRET_ACCESS_KEY,
        },
      },
    ).catch((error: { stderr?: string }) => {
      throw new Error(
        `boto3 failed (is python3-boto3 installed? npm test installs it): ${error.stderr}`,
      );
    });
    answer = JSON.parse(stdout);
  }, 60_000);
  afterAll(() => simulators.close());

  it('lists every IoT job once, in order, and filters', () => {
    expect(answer.iot).toEqual(simulators.dataset.iotJobs.map((j) => j.jobId));
    expect(answer.completed).toEqual(
      simulators.dataset.iotJobs.filter((j) => j.status === 'COMPLETED').map((j) => j.jobId),
    );
    expect(answer.missing).toBe('ResourceNotFoundException');
  });

  it('lists every Import/Export job once, newest first, and reads a status', () => {
    expect(answer.importExport).toEqual(simulators.dataset.importExportJobs.map((j) => j.jobId));
    expect(answer.status.JobId).toBe(simulators.dataset.importExportJobs[0]?.jobId);
    expect(answer.status.ProgressCode).toBe(simulators.dataset.importExportJobs[0]?.progressCode);
  });
});
