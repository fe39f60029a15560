/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment JobFields on Job {\n    __typename\n    id\n    jobId\n    source\n    createdAt\n    isCanceled\n    ... on IotJob {\n      jobArn\n      thingGroupId\n      targetSelection\n      status\n      lastUpdatedAt\n      completedAt\n      isConcurrent\n    }\n    ... on ImportExportJob {\n      jobType\n    }\n  }\n": typeof types.JobFieldsFragmentDoc,
    "\n  query JobsPage($first: Int, $after: String, $sources: [JobSource!], $iot: IotJobFilter) {\n    jobs(first: $first, after: $after, sources: $sources, iot: $iot) {\n      edges {\n        cursor\n        node {\n          ...JobFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      unavailableSources\n    }\n  }\n": typeof types.JobsPageDocument,
    "\n  query IotJobsPage($first: Int, $after: String, $filter: IotJobFilter) {\n    iotJobs(first: $first, after: $after, filter: $filter) {\n      edges {\n        cursor\n        node {\n          ...JobFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.IotJobsPageDocument,
    "\n  query ImportExportJobsPage($first: Int, $after: String) {\n    importExportJobs(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...JobFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ImportExportJobsPageDocument,
    "\n  query TwoAliases($first: Int) {\n    a: jobs(first: $first) {\n      edges {\n        node {\n          jobId\n        }\n      }\n    }\n    b: jobs(first: $first) {\n      edges {\n        node {\n          id\n        }\n      }\n    }\n  }\n": typeof types.TwoAliasesDocument,
    "\n  query JobsWithDetails($first: Int, $after: String) {\n    jobs(first: $first, after: $after) {\n      edges {\n        node {\n          __typename\n          jobId\n          ... on IotJob {\n            details {\n              description\n              targets\n              processDetails {\n                numberOfSucceededThings\n              }\n            }\n            again: details {\n              description\n            }\n          }\n          ... on ImportExportJob {\n            status {\n              progressCode\n              trackingNumber\n              artifacts {\n                url\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.JobsWithDetailsDocument,
    "\n  query NodeById($id: ID!) {\n    node(id: $id) {\n      ...JobFields\n    }\n  }\n": typeof types.NodeByIdDocument,
    "\n  query NodesByIds($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      ...JobFields\n    }\n  }\n": typeof types.NodesByIdsDocument,
};
const documents: Documents = {
    "\n  fragment JobFields on Job {\n    __typename\n    id\n    jobId\n    source\n    createdAt\n    isCanceled\n    ... on IotJob {\n      jobArn\n      thingGroupId\n      targetSelection\n      status\n      lastUpdatedAt\n      completedAt\n      isConcurrent\n    }\n    ... on ImportExportJob {\n      jobType\n    }\n  }\n": types.JobFieldsFragmentDoc,
    "\n  query JobsPage($first: Int, $after: String, $sources: [JobSource!], $iot: IotJobFilter) {\n    jobs(first: $first, after: $after, sources: $sources, iot: $iot) {\n      edges {\n        cursor\n        node {\n          ...JobFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      unavailableSources\n    }\n  }\n": types.JobsPageDocument,
    "\n  query IotJobsPage($first: Int, $after: String, $filter: IotJobFilter) {\n    iotJobs(first: $first, after: $after, filter: $filter) {\n      edges {\n        cursor\n        node {\n          ...JobFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.IotJobsPageDocument,
    "\n  query ImportExportJobsPage($first: Int, $after: String) {\n    importExportJobs(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...JobFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ImportExportJobsPageDocument,
    "\n  query TwoAliases($first: Int) {\n    a: jobs(first: $first) {\n      edges {\n        node {\n          jobId\n        }\n      }\n    }\n    b: jobs(first: $first) {\n      edges {\n        node {\n          id\n        }\n      }\n    }\n  }\n": types.TwoAliasesDocument,
    "\n  query JobsWithDetails($first: Int, $after: String) {\n    jobs(first: $first, after: $after) {\n      edges {\n        node {\n          __typename\n          jobId\n          ... on IotJob {\n            details {\n              description\n              targets\n              processDetails {\n                numberOfSucceededThings\n              }\n            }\n            again: details {\n              description\n            }\n          }\n          ... on ImportExportJob {\n            status {\n              progressCode\n              trackingNumber\n              artifacts {\n                url\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.JobsWithDetailsDocument,
    "\n  query NodeById($id: ID!) {\n    node(id: $id) {\n      ...JobFields\n    }\n  }\n": types.NodeByIdDocument,
    "\n  query NodesByIds($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      ...JobFields\n    }\n  }\n": types.NodesByIdsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobFields on Job {\n    __typename\n    id\n    jobId\n    source\n    createdAt\n    isCanceled\n    ... on IotJob {\n      jobArn\n      thingGroupId\n      targetSelection\n      status\n      lastUpdatedAt\n      completedAt\n      isConcurrent\n    }\n    ... on ImportExportJob {\n      jobType\n    }\n  }\n"): (typeof documents)["\n  fragment JobFields on Job {\n    __typename\n    id\n    jobId\n    source\n    createdAt\n    isCanceled\n    ... on IotJob {\n      jobArn\n      thingGroupId\n      targetSelection\n      status\n      lastUpdatedAt\n      completedAt\n      isConcurrent\n    }\n    ... on ImportExportJob {\n      jobType\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobsPage($first: Int, $after: String, $sources: [JobSource!], $iot: IotJobFilter) {\n    jobs(first: $first, after: $after, sources: $sources, iot: $iot) {\n      edges {\n        cursor\n        node {\n          ...JobFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      unavailableSources\n    }\n  }\n"): (typeof documents)["\n  query JobsPage($first: Int, $after: String, $sources: [JobSource!], $iot: IotJobFilter) {\n    jobs(first: $first, after: $after, sources: $sources, iot: $iot) {\n      edges {\n        cursor\n        node {\n          ...JobFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      unavailableSources\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query IotJobsPage($first: Int, $after: String, $filter: IotJobFilter) {\n    iotJobs(first: $first, after: $after, filter: $filter) {\n      edges {\n        cursor\n        node {\n          ...JobFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query IotJobsPage($first: Int, $after: String, $filter: IotJobFilter) {\n    iotJobs(first: $first, after: $after, filter: $filter) {\n      edges {\n        cursor\n        node {\n          ...JobFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ImportExportJobsPage($first: Int, $after: String) {\n    importExportJobs(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...JobFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query ImportExportJobsPage($first: Int, $after: String) {\n    importExportJobs(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...JobFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TwoAliases($first: Int) {\n    a: jobs(first: $first) {\n      edges {\n        node {\n          jobId\n        }\n      }\n    }\n    b: jobs(first: $first) {\n      edges {\n        node {\n          id\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query TwoAliases($first: Int) {\n    a: jobs(first: $first) {\n      edges {\n        node {\n          jobId\n        }\n      }\n    }\n    b: jobs(first: $first) {\n      edges {\n        node {\n          id\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobsWithDetails($first: Int, $after: String) {\n    jobs(first: $first, after: $after) {\n      edges {\n        node {\n          __typename\n          jobId\n          ... on IotJob {\n            details {\n              description\n              targets\n              processDetails {\n                numberOfSucceededThings\n              }\n            }\n            again: details {\n              description\n            }\n          }\n          ... on ImportExportJob {\n            status {\n              progressCode\n              trackingNumber\n              artifacts {\n                url\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query JobsWithDetails($first: Int, $after: String) {\n    jobs(first: $first, after: $after) {\n      edges {\n        node {\n          __typename\n          jobId\n          ... on IotJob {\n            details {\n              description\n              targets\n              processDetails {\n                numberOfSucceededThings\n              }\n            }\n            again: details {\n              description\n            }\n          }\n          ... on ImportExportJob {\n            status {\n              progressCode\n              trackingNumber\n              artifacts {\n                url\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NodeById($id: ID!) {\n    node(id: $id) {\n      ...JobFields\n    }\n  }\n"): (typeof documents)["\n  query NodeById($id: ID!) {\n    node(id: $id) {\n      ...JobFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NodesByIds($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      ...JobFields\n    }\n  }\n"): (typeof documents)["\n  query NodesByIds($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      ...JobFields\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;