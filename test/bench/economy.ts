// Upstream economy of a forward walk, read from the simulators' own counters: job summaries read
// upstream per job delivered, and list calls per page per source, for every connection and page
// size, on the default data set (1,000 IoT jobs, 300 Import/Export jobs). Then the size of the
// cursors of a walk of `jobs` over 1, 3 and 10 IoT regions and Import/Export.
//
//   npm run bench:economy
import { print } from 'graphql';
import { startStack } from '../harness.js';
import { ImportExportJobsPage, IotJobsPage, JobsPage } from '../operations.js';

const DOCUMENTS = { iotJobs: IotJobsPage, importExportJobs: ImportExportJobsPage, jobs: JobsPage };
const SIZES = [1, 7, 20, 100];

interface Row {
  connection: string;
  first: number;
  jobs: number;
  pages: number;
  summaries: number;
  perJob: string;
  maxCallsPerPage: { iot: number; importExport: number };
}

async function main(): Promise<void> {
  const stack = await startStack({
    iotJobs: 1000,
    importExportJobs: 300,
    requestTimeoutMs: 30_000,
  });
  const listed = () =>
    (stack.simulators.iot?.counters.snapshot().listed ?? 0) +
    (stack.simulators.importExport?.counters.snapshot().listed ?? 0);
  const rows: Row[] = [];
  try {
    for (const connection of ['iotJobs', 'importExportJobs', 'jobs'] as const) {
      for (const first of SIZES) {
        let after: string | null = null;
        let jobs = 0;
        let pages = 0;
        let summaries = 0;
        const max = { iot: 0, importExport: 0 };
        for (;;) {
          stack.resetCounters();
          const response: { body: { data?: { jobs: CursorPage } | null; errors?: unknown } } =
          await stack.query(
            `query($after: String) { jobs(first: 7, after: $after) { edges { cursor } pageInfo { hasNextPage endCursor } } }`,
            { after },
          );
        const page: CursorPage | undefined = response.body.data?.jobs;
        if (!page) throw new Error(JSON.stringify(response.body.errors));
        for (const edge of page.edges) sizes.push(edge.cursor.length);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
    } finally {
      await stack.close();
    }
    sizes.sort((a, b) => a - b);
    const median = sizes[Math.floor(sizes.length / 2)] ?? 0;
    console.log(`| ${count} | ${sizes.length} | ${median} | ${sizes.at(-1) ?? 0} |`);
  }
}

await main();
await cursorSizes();
