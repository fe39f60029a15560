import { print } from 'graphql';
import { expect } from 'vitest';
import type { Dataset } from '../src/simulators/dataset.js';
import type { JobFieldsFragment } from './gql/graphql.js';
import type { Stack } from './harness.js';
import { ImportExportJobsPage, IotJobsPage, JobsPage } from './operations.js';

export type ConnectionName = 'jobs' | 'iotJobs' | 'importExportJobs';

export interface WalkResult {
  readonly nodes: JobFieldsFragment[];
  readonly pages: number;
}

/**
 * Follows a connection from its first page to its last, taking page sizes from `sizes` in turn,
 * and checks on the way that every page is well formed and that no error is reported.
 */
export async function walk(
  stack: Stack,
  connection: ConnectionName,
  sizes: readonly number[],
  variables: Record<string, unknown> = {},
  maxPages = 2000,
  start: string | null = null,
): Promise<WalkResult> {
  const nodes: JobFieldsFragment[] = [];
  let after: string | null = start;
  for (let page = 0; page < maxPages; page++) {
    const first = sizes[page % sizes.length];
    const vars = { ...variables, first, after };
    const operation: string =
      connection === 'jobs'
        ? print(JobsPage)
        : connection === 'iotJobs'
          ? print(IotJobsPage)
          : print(ImportExportJobsPage);
    const response = await stack.query(operation, vars);
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    const data = response.body.data as Record<string, unknown>;
    const result = data[connection] as {
      edges: { cursor: string; node: JobFieldsFragment }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
    expect(result.edges.length).toBeLessThanOrEqual(first ?? 20);
    if (result.pageInfo.hasNextPage) expect(result.edges.length).toBeGreaterThan(0);
    for (const edge of result.edges) nodes.push(edge.node);
    expect(result.pageInfo.endCursor).toBe(result.edges.at(-1)?.cursor ?? null);
    if (!result.pageInfo.hasNextPage) return { nodes, pages: page + 1 };
    after = result.pageInfo.endCursor;
  }
  throw new Error(`${connection} did not end within ${maxPages} pages`);
}

export function keyOf(node: Pick<JobFieldsFragment, 'source' | 'jobId'>): string {
  return `${node.source}:${node.jobId}`;
}

/** Every job of the dataset, as `SOURCE:jobId`, sorted. */
export function datasetKeys(
  dataset: Dataset,
  sources: readonly ('IOT' | 'IMPORT_EXPORT')[] = ['IOT', 'IMPORT_EXPORT'],
): string[] {
  const keys: string[] = [];
  if (sources.includes('IOT')) for (const j of dataset.iotJobs) keys.push(`IOT:${j.jobId}`);
  if (sources.includes('IMPORT_EXPORT')) {
    for (const j of dataset.importExportJobs) keys.push(`IMPORT_EXPORT:${j.jobId}`);
  }
  return keys.sort();
}

export function expectExactlyOnce(nodes: readonly JobFieldsFragment[], expected: string[]): void {
  const seen = nodes.map(keyOf);
  const duplicates = seen.filter((key, i) => seen.indexOf(key) !== i);
  expect(duplicates).toEqual([]);
  expect([...seen].sort()).toEqual(expected);
}

export function expectNewestFirst(nodes: readonly JobFieldsFragment[]): void {
  for (let i = 1; i < nodes.length; i++) {
    const previous = Date.parse(nodes[i - 1]?.createdAt as string);
    const current = Date.parse(nodes[i]?.createdAt as string);
    expect(current).toBeLessThanOrEqual(previous);
  }
}
