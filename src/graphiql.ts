import type { GraphiQLOptions } from 'graphql-yoga';

/** What GraphiQL opens on: a page of the merged list, with what each job type adds. */
export const EXAMPLE_OPERATION = `# A page of jobs from both upstreams, newest first.
# Run it, then pass pageInfo.endCursor as "after" to read the next page.
query LatestJobs($first: Int = 10, $after: String) {
  jobs(first: $first, after: $after) {
    edges {
      node {
        id
        jobId
        source
        createdAt
        isCanceled
        ...IotJobSummary
        ...ImportExportJobSummary
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
    unavailableSources
  }
}

fragment IotJobSummary on IotJob {
  status
  targetSelection
  thingGroupId
  completedAt
}

# Aliased: IotJob.status is an enum, ImportExportJob.status an object, and one selection set
# cannot ask for both under the same name.
fragment ImportExportJobSummary on ImportExportJob {
  jobType
  progress: status {
    progressCode
    locationCode
    trackingNumber
  }
}
`;

export const GRAPHIQL_OPTIONS: GraphiQLOptions = {
  title: 'jobs-gateway',
  defaultQuery: EXAMPLE_OPERATION,
};

/**
 * GraphiQL with every script and style inlined: it works with no network at all. The bundle is
 * large (several MB), so it is loaded on the first page view, not at start-up.
 */
export async function renderOfflineGraphiQL(options: GraphiQLOptions): Promise<string> {
  const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
  return renderGraphiQL(options);
}
