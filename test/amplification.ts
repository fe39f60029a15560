import { IOT_JOB_STATUSES, IOT_TARGET_SELECTIONS } from '../src/upstreams/types.js';

/**
 * One request built to cost as many upstream calls as the limits on depth, aliases and tokens
 * allow: ten full IoT pages with details (one per status and target selection, so that no two
 * share a page or a job) and three full Import/Export pages with status, from three positions.
 * About 3 KB; without a budget, 1,300 DescribeJob/GetStatus calls and 26 list calls.
 */
export function amplificationDocument(after: readonly (string | null)[]): {
  query: string;
  variables: Record<string, string | null>;
} {
  const iot = IOT_JOB_STATUSES.flatMap((status) =>
    IOT_TARGET_SELECTIONS.map(
      (selection) =>
        `${status.toLowerCase()}_${selection.toLowerCase()}: iotJobs(first: 100, filter: { status: ${status}, targetSelection: ${selection} }) { edges { node { jobId details { description comment targets } } } }`,
    ),
  );
  const importExport = after.map(
    (_, i) =>
      `ie${i}: importExportJobs(first: 100, after: $a${i}) { edges { node { jobId status { progressCode carrier trackingNumber } } } }`,
  );
  const declarations = after.map((_, i) => `$a${i}: String`).join(', ');
  return {
    query: `query Amplify(${declarations}) { ${[...iot, ...importExport].join(' ')} }`,
    variables: Object.fromEntries(after.map((cursor, i) => [`a${i}`, cursor])),
  };
}
