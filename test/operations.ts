import { graphql } from './gql/index.js';

/** The operations the end-to-end tests send, typed by codegen from schema/schema.graphql. */

export const JobFields = graphql(`
  fragment JobFields on Job {
    __typename
    id
    jobId
    source
    createdAt
    isCanceled
    ... on IotJob {
      jobArn
      thingGroupId
      targetSelection
      status
      lastUpdatedAt
      completedAt
      isConcurrent
    }
    ... on ImportExportJob {
      jobType
    }
  }
`);

export const JobsPage = graphql(`
  query JobsPage($first: Int, $after: String, $sources: [JobSource!], $iot: IotJobFilter) {
    jobs(first: $first, after: $after, sources: $sources, iot: $iot) {
      edges {
        cursor
        node {
          ...JobFields
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      unavailableSources
    }
  }
`);

export const IotJobsPage = graphql(`
  query IotJobsPage($first: Int, $after: String, $filter: IotJobFilter) {
    iotJobs(first: $first, after: $after, filter: $filter) {
      edges {
        cursor
        node {
          ...JobFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const ImportExportJobsPage = graphql(`
  query ImportExportJobsPage($first: Int, $after: String) {
    importExportJobs(first: $first, after: $after) {
      edges {
        cursor
        node {
          ...JobFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const TwoAliases = graphql(`
  query TwoAliases($first: Int) {
    a: jobs(first: $first) {
      edges {
        node {
          jobId
        }
      }
    }
    b: jobs(first: $first) {
      edges {
        node {
          id
        }
      }
    }
  }
`);

export const JobsWithDetails = graphql(`
  query JobsWithDetails($first: Int, $after: String) {
    jobs(first: $first, after: $after) {
      edges {
        node {
          __typename
          jobId
          ... on IotJob {
            details {
              description
              targets
              processDetails {
                numberOfSucceededThings
              }
            }
            again: details {
              description
            }
          }
          ... on ImportExportJob {
            status {
              progressCode
              trackingNumber
              artifacts {
                url
              }
            }
          }
        }
      }
    }
  }
`);

export const NodeById = graphql(`
  query NodeById($id: ID!) {
    node(id: $id) {
      ...JobFields
    }
  }
`);

export const NodesByIds = graphql(`
  query NodesByIds($ids: [ID!]!) {
    nodes(ids: $ids) {
      ...JobFields
    }
  }
`);
