// Upstream economy of a forward walk, read from the simulators' own counters: job summaries read
// upstream per job delivered, and list calls per page per source, for every connection and page
// size, on the default data set (1,000 IoT jobs, 300 Import/Export jobs); then the same for
// `jobs` over 3 and 5 IoT regions and Import/Export (300 jobs each); then the size of the
// cursors of a walk of `jobs` over 1, 3 and 10 IoT regions and Import/Export.
//
//   npm run bench:economy
import { print } from 'graphql';
import { startStack, TEN_REGIONS } from '../harness.js';
import { ImportExportJobsPage, IotJobsPage, JobsPage } from '../operations.js';

// The SDK's notice about future Node versions is not part of the figures.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const DOCUMENTS = { iotJobs: IotJobsPage, importExportJobs: ImportExportJobsPage, jobs: JobsPage };
const SIZES = [1, 7, 20, 100];

interface Page {
  edges: { cursor?: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

interface Row {
  connection: string;
  first: number;
  jobs: number;
  pages: number;
  summaries: number;
  perJob: string;
  maxCallsPerPage: { iot: number; importExport: number };
}

async function economy(): Promise<void> {
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
          const page: Page = await pageOf(stack, print(DOCUMENTS[connection]), connection, {
            first,
            after,
          });
          const calls = stack.calls();
          max.iot = Math.max(max.iot, calls.iot);
          max.importExport = Math.max(max.importExport, calls.importExport);
          summaries += listed();
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

async function regionsEconomy(): Promise<void> {
  console.log(
    '\n| IoT regions + Import/Export | first | jobs | pages | summaries read | per job | list calls | per page | most list calls of one source in a page |',
  );
  console.log('|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const count of [3, 5]) {
    const regions = TEN_REGIONS.slice(0, count);
    const stack = await startStack({
      iotRegions: regions,
      iotJobs: 300,
      importExportJobs: 300,
      requestTimeoutMs: 30_000,
    });
    const simulators = [...stack.simulators.iotByRegion.values(), stack.simulators.importExport];
    const listed = () => simulators.reduce((n, s) => n + (s?.counters.snapshot().listed ?? 0), 0);
    const lists = () => simulators.map((s) => s?.counters.snapshot().byOperation.ListJobs ?? 0);
    try {
      for (const first of SIZES) {
        stack.resetCounters();
        let after: string | null = null;
        let jobs = 0;
        let pages = 0;
        let most = 0;
        for (;;) {
          pages++;
          const before = lists();
          const page: Page = await pageOf(stack, print(JobsPage), 'jobs', { first, after });
          lists().forEach((n, i) => {
            most = Math.max(most, n - (before[i] ?? 0));
          });
          jobs += page.edges.length;
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        const read = listed();
        const calls = lists().reduce((a, b) => a + b, 0);
        console.log(
          `| ${count} | ${first} | ${jobs} | ${pages} | ${read} | ${(read / jobs).toFixed(2)} | ${calls} | ${(calls / pages).toFixed(2)} | ${most} |`,
        );
      }
    } finally {
      await stack.close();
    }
  }
}

async function pageOf(
  stack: Awaited<ReturnType<typeof startStack>>,
  query: string,
  connection: string,
  variables: Record<string, unknown>,
): Promise<Page> {
  const response = await stack.query<Record<string, Page>, unknown>(query, variables);
  const page = response.body.data?.[connection];
  if (!page) throw new Error(JSON.stringify(response.body.errors));
  return page;
}

const CURSORS =
  'query($after: String) { jobs(first: 7, after: $after) { edges { cursor } pageInfo { hasNextPage endCursor } } }';

async function cursorSizes(): Promise<void> {
  console.log('\n| IoT regions + Import/Export | cursors | median characters | largest |');
  console.log('|--:|--:|--:|--:|');
  for (const count of [1, 3, 10]) {
    const stack = await startStack({
      iotRegions: TEN_REGIONS.slice(0, count),
      iotJobs: 60,
      importExportJobs: 60,
      requestTimeoutMs: 30_000,
    });
    const sizes: number[] = [];
    try {
      let after: string | null = null;
      for (;;) {
        const page: Page = await pageOf(stack, CURSORS, 'jobs', { after });
        for (const edge of page.edges) sizes.push(edge.cursor?.length ?? 0);
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

await economy();
await regionsEconomy();
await cursorSizes();
