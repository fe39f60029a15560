import { describe, expect, it } from 'vitest';
import type { ImportExportPosition, IotPosition } from '../src/pagination/cursor.js';
import { MAX_CALLS_PER_READ, readImportExport, readIot } from '../src/pagination/sources.js';
import type { ImportExportJobRecord, IotJobRecord } from '../src/upstreams/types.js';

// The readers against upstreams that answer in awkward ways the simulators do not produce:
// pages of one job each, many of them. Pure logic, so an in-memory page source stands in.
const iotJob = (i: number): IotJobRecord => ({
  kind: 'iot',
  jobId: `j${i}`,
  jobArn: null,
  thingGroupId: null,
  targetSelection: null,
  status: null,
  createdAt: new Date(1_000_000 - i),
  lastUpdatedAt: null,
  completedAt: null,
  isConcurrent: null,
});
const ieJob = (i: number): ImportExportJobRecord => ({
  kind: 'importExport',
  jobId: `x${i}`,
  jobType: 'Import',
  createdAt: new Date(1_000_000 - i),
  isCanceled: false,
});

describe('readers over sparse upstream pages', () => {
  it('IoT: one job per page, more pages than one read may chain; a walk still gets everything once', async () => {
    const total = 30;
    let calls = 0;
    const fetchPage = async (token: string | null) => {
      calls++;
      const at = token === null ? 0 : Number(token);
      return {
        items: at < total ? [iotJob(at)] : [],
        nextToken: at + 1 < total ? String(at + 1) : null,
      };
    };
    const seen: string[] = [];
    let from: IotPosition = { token: null, skip: 0 };
    for (let round = 0; round < 20 && from !== 'done'; round++) {
      const read = await readIot(fetchPage, {}, from, 20);
      expect(read.items.length).toBeGreaterThan(0);
      expect(read.items.length).toBeLessThanOrEqual(MAX_CALLS_PER_READ);
      seen.push(...read.items.map((i) => i.record.jobId));
      from = read.items.at(-1)?.after ?? 'done';
      if (!read.hasMore) break;
    }
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => `j${i}`));
    expect(calls).toBeLessThanOrEqual(total + 5);
  });

  it('Import/Export: short truncated pages are chained, then the read stops with what it has', async () => {
    const total = 25;
    const fetchPage = async (marker: string | null) => {
      const at = marker === null ? 0 : Number(marker.slice(1)) + 1;
      return { items: at < total ? [ieJob(at)] : [], isTruncated: at + 1 < total };
    };
    const seen: string[] = [];
    let from: ImportExportPosition = { marker: null };
    for (let round = 0; round < 20; round++) {
      const read = await readImportExport(fetchPage, from, 10);
      seen.push(...read.items.map((i) => i.record.jobId));
      const last = read.items.at(-1);
      if (!read.hasMore || !last) break;
      from = last.after;
    }
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => `x${i}`));
  });

  it('IoT: pages that stay empty with a token and never a job end in a coded failure', async () => {
    let n = 0;
    const fetchPage = async () => ({ items: [], nextToken: `t${n++}` });
    await expect(readIot(fetchPage, {}, { token: null, skip: 0 }, 5)).rejects.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
      source: 'IOT',
    });
  });
});
