import { graphql } from 'relay-runtime';

/**
 * What a Relay frontend writes: a fragment per list with `@connection` and `@refetchable`, and a
 * query that spreads it. relay-compiler reads these tags and writes the artifacts in
 * __generated__/, which the tests load; this module itself is never imported (without Relay's
 * Babel plugin, `graphql` throws when called).
 */

export const all = graphql`
  fragment jobs_all on Query
  @argumentDefinitions(first: { type: "Int", defaultValue: 50 }, after: { type: "String" })
  @refetchable(queryName: "jobsAllPaginationQuery") {
    jobs(first: $first, after: $after) @connection(key: "jobs_all_jobs") {
      edges {
        node {
          __typename
          id
          jobId
          source
          createdAt
          isCanceled
          ... on IotJob {
            status
            thingGroupId
          }
          ... on ImportExportJob {
            jobType
          }
        }
      }
    }
  }
`;

export const iot = graphql`
  fragment jobs_iot on Query
  @argumentDefinitions(first: { type: "Int", defaultValue: 50 }, after: { type: "String" })
  @refetchable(queryName: "jobsIotPaginationQuery") {
    iotJobs(first: $first, after: $after) @connection(key: "jobs_iot_iotJobs") {
      edges {
        node {
          __typename
          id
          jobId
          source
          createdAt
          isCanceled
          status
        }
      }
    }
  }
`;

export const importExport = graphql`
  fragment jobs_importExport on Query
  @argumentDefinitions(first: { type: "Int", defaultValue: 50 }, after: { type: "String" })
  @refetchable(queryName: "jobsImportExportPaginationQuery") {
    importExportJobs(first: $first, after: $after)
      @connection(key: "jobs_importExport_importExportJobs") {
      edges {
        node {
          __typename
          id
          jobId
          source
          createdAt
          isCanceled
          jobType
        }
      }
    }
  }
`;

export const allQuery = graphql`
  query jobsAllQuery($first: Int) {
    ...jobs_all @arguments(first: $first)
  }
`;

export const iotQuery = graphql`
  query jobsIotQuery($first: Int) {
    ...jobs_iot @arguments(first: $first)
  }
`;

export const importExportQuery = graphql`
  query jobsImportExportQuery($first: Int) {
    ...jobs_importExport @arguments(first: $first)
  }
`;

/** A job refetched by id alone, through `node`. */
export const nodeFragment = graphql`
  fragment jobs_node on Job @refetchable(queryName: "jobsNodeRefetchQuery") {
    jobId
    createdAt
  }
`;
