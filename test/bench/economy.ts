// Upstream economy of a forward walk, read from the simulators' own counters: job summaries read
// upstream per job delivered, and list calls per page per source, for every connection and page
// size, on the default data set (1,000 IoT jobs, 300 Import/Export jobs).
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
          const response = await stack.query<Record<string, Page>, unknown>(
            print(DOCUMENTS[connection]),
            { first, after },
          );
          if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
          const calls = stack.calls();
          max.iot = Math.max(max.iot, calls.iot);
          max.importExport = Math.max(max.importExport, calls.importExport);
          summaries += listed();
          const page = response.body.data?.[connection] as Page;
          jobs += page.edges.length;
          pages++;
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        rows.push({
          connection,
          first,
          jobs,
          pages,
          summaries,
          perJob: (summaries / jobs).toFixed(2),
          maxCallsPerPage: max,
        });
      }
    }
  } finally {
    await stack.close();
  }
  console.log(
    '| connection | first | jobs | pages | summaries read | per job | most list calls in a page (IoT / Import/Export) |',
  );
  console.log('|---|--:|--:|--:|--:|--:|---|');
  for (const r of rows) {
    console.log(
      `| ${r.connection} | ${r.first} | ${r.jobs} | ${r.pages} | ${r.summaries} | ${r.perJob} | ${r.maxCallsPerPage.iot} / ${r.maxCallsPerPage.importExport} |`,
    );
  }
}

interface Page {
  edges: unknown[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

await main();
