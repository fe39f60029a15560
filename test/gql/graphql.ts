/* eslint-disable */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An instant, written as ISO-8601 in UTC with milliseconds: 2010-02-05T19:17:38.000Z. */
  DateTime: { input: string; output: string; }
};

/** A document of the job, such as a shipping label. */
export type ImportExportArtifact = {
  __typename?: 'ImportExportArtifact';
  description?: Maybe<Scalars['String']['output']>;
  url?: Maybe<Scalars['String']['output']>;
};

/** A job of AWS Import/Export, from ListJobs. */
export type ImportExportJob = Job & Node & {
  __typename?: 'ImportExportJob';
  /** IoT createdAt / Import/Export CreationDate. */
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  /** IoT status CANCELED / Import/Export IsCanceled. */
  isCanceled: Scalars['Boolean']['output'];
  /** The upstream's own id of the job. */
  jobId: Scalars['String']['output'];
  /** UNKNOWN for a type this gateway does not know: see rawJobType. */
  jobType?: Maybe<ImportExportJobType>;
  /** The job type as Import/Export sent it, known to this gateway or not. */
  rawJobType?: Maybe<Scalars['String']['output']>;
  source: JobSource;
  /** GetStatus, loaded lazily and batched per request; null if it fails. */
  status?: Maybe<ImportExportJobStatus>;
};

export type ImportExportJobConnection = {
  __typename?: 'ImportExportJobConnection';
  edges: Array<ImportExportJobEdge>;
  pageInfo: PageInfo;
};

export type ImportExportJobEdge = {
  __typename?: 'ImportExportJobEdge';
  cursor: Scalars['String']['output'];
  node: ImportExportJob;
};

/** What GetStatus tells of a job: where its device is and how far it has got. */
export type ImportExportJobStatus = {
  __typename?: 'ImportExportJobStatus';
  artifacts: Array<ImportExportArtifact>;
  carrier?: Maybe<Scalars['String']['output']>;
  currentManifest?: Maybe<Scalars['String']['output']>;
  errorCount?: Maybe<Scalars['Int']['output']>;
  locationCode?: Maybe<Scalars['String']['output']>;
  locationMessage?: Maybe<Scalars['String']['output']>;
  logBucket?: Maybe<Scalars['String']['output']>;
  logKey?: Maybe<Scalars['String']['output']>;
  progressCode?: Maybe<Scalars['String']['output']>;
  progressMessage?: Maybe<Scalars['String']['output']>;
  trackingNumber?: Maybe<Scalars['String']['output']>;
};

export type ImportExportJobType =
  /** Data is copied from AWS onto a device. */
  | 'EXPORT'
  /** Data is loaded from a device into AWS. */
  | 'IMPORT'
  /** A job type this gateway does not know yet; rawJobType holds it as Import/Export sent it. */
  | 'UNKNOWN';

/** A job of AWS IoT, from ListJobs. */
export type IotJob = Job & Node & {
  __typename?: 'IotJob';
  completedAt?: Maybe<Scalars['DateTime']['output']>;
  /** IoT createdAt / Import/Export CreationDate. */
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** DescribeJob, loaded lazily and batched per request; null if it fails. */
  details?: Maybe<IotJobDetails>;
  id: Scalars['ID']['output'];
  /** IoT status CANCELED / Import/Export IsCanceled. */
  isCanceled: Scalars['Boolean']['output'];
  isConcurrent?: Maybe<Scalars['Boolean']['output']>;
  jobArn?: Maybe<Scalars['String']['output']>;
  /** The upstream's own id of the job. */
  jobId: Scalars['String']['output'];
  lastUpdatedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The status as IoT sent it, known to this gateway or not. */
  rawStatus?: Maybe<Scalars['String']['output']>;
  /** targetSelection as IoT sent it, known to this gateway or not. */
  rawTargetSelection?: Maybe<Scalars['String']['output']>;
  /** The AWS region whose IoT holds the job. */
  region: Scalars['String']['output'];
  source: JobSource;
  /** UNKNOWN for a status this gateway does not know: see rawStatus. */
  status?: Maybe<IotJobStatus>;
  /** UNKNOWN for a value this gateway does not know: see rawTargetSelection. */
  targetSelection?: Maybe<IotTargetSelection>;
  thingGroupId?: Maybe<Scalars['String']['output']>;
};

export type IotJobConnection = {
  __typename?: 'IotJobConnection';
  edges: Array<IotJobEdge>;
  pageInfo: PageInfo;
  /** Each source and region that could not be read for this page, with the error code. CURSOR_EXPIRED means that source cannot be continued: start the walk again to read it. */
  unavailable: Array<UnavailableSource>;
  /** Sources that could not be read for this page. Their jobs are not lost: the cursors keep their positions, so later pages read them again. */
  unavailableSources: Array<JobSource>;
};

/** What DescribeJob adds to a job summary. */
export type IotJobDetails = {
  __typename?: 'IotJobDetails';
  comment?: Maybe<Scalars['String']['output']>;
  completedAt?: Maybe<Scalars['DateTime']['output']>;
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  description?: Maybe<Scalars['String']['output']>;
  documentSource?: Maybe<Scalars['String']['output']>;
  forceCanceled?: Maybe<Scalars['Boolean']['output']>;
  jobTemplateArn?: Maybe<Scalars['String']['output']>;
  lastUpdatedAt?: Maybe<Scalars['DateTime']['output']>;
  namespaceId?: Maybe<Scalars['String']['output']>;
  processDetails?: Maybe<IotJobProcessDetails>;
  reasonCode?: Maybe<Scalars['String']['output']>;
  targets: Array<Scalars['String']['output']>;
};

export type IotJobEdge = {
  __typename?: 'IotJobEdge';
  cursor: Scalars['String']['output'];
  node: IotJob;
};

/** Filters applied by IoT itself. Members combine with AND. */
export type IotJobFilter = {
  /** Jobs of this customer-managed namespace. */
  namespaceId?: InputMaybe<Scalars['String']['input']>;
  /** Any status but UNKNOWN. */
  status?: InputMaybe<IotJobStatus>;
  /** Not UNKNOWN. */
  targetSelection?: InputMaybe<IotTargetSelection>;
  /** Jobs that target the thing group with this id. */
  thingGroupId?: InputMaybe<Scalars['String']['input']>;
  /** Jobs that target this thing group. */
  thingGroupName?: InputMaybe<Scalars['String']['input']>;
};

/** How far a job has got on its targets. */
export type IotJobProcessDetails = {
  __typename?: 'IotJobProcessDetails';
  numberOfCanceledThings?: Maybe<Scalars['Int']['output']>;
  numberOfFailedThings?: Maybe<Scalars['Int']['output']>;
  numberOfInProgressThings?: Maybe<Scalars['Int']['output']>;
  numberOfQueuedThings?: Maybe<Scalars['Int']['output']>;
  numberOfRejectedThings?: Maybe<Scalars['Int']['output']>;
  numberOfRemovedThings?: Maybe<Scalars['Int']['output']>;
  numberOfSucceededThings?: Maybe<Scalars['Int']['output']>;
  numberOfTimedOutThings?: Maybe<Scalars['Int']['output']>;
  processingTargets: Array<Scalars['String']['output']>;
};

/** Status of an IoT job. */
export type IotJobStatus =
  | 'CANCELED'
  | 'COMPLETED'
  | 'DELETION_IN_PROGRESS'
  | 'IN_PROGRESS'
  | 'SCHEDULED'
  /** A value this gateway does not know yet (upstreams add values); the raw field beside this one holds it as sent. */
  | 'UNKNOWN';

/** CONTINUOUS jobs also run on things added to a target group later; SNAPSHOT jobs do not. */
export type IotTargetSelection =
  | 'CONTINUOUS'
  | 'SNAPSHOT'
  /** A value this gateway does not know yet (upstreams add values); the raw field beside this one holds it as sent. */
  | 'UNKNOWN';

/** A job of either upstream. */
export type Job = {
  /** IoT createdAt / Import/Export CreationDate. */
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** Global id, refetchable through node(id:). */
  id: Scalars['ID']['output'];
  /** IoT status CANCELED / Import/Export IsCanceled. */
  isCanceled: Scalars['Boolean']['output'];
  /** The upstream's own id of the job. */
  jobId: Scalars['String']['output'];
  source: JobSource;
};

export type JobConnection = {
  __typename?: 'JobConnection';
  edges: Array<JobEdge>;
  pageInfo: PageInfo;
  /** Each source and region that could not be read for this page, with the error code. CURSOR_EXPIRED means that source cannot be continued: start the walk again to read it. */
  unavailable: Array<UnavailableSource>;
  /** Sources that could not be read for this page. Their jobs are not lost: the cursors keep their positions, so later pages read them again. */
  unavailableSources: Array<JobSource>;
};

export type JobEdge = {
  __typename?: 'JobEdge';
  cursor: Scalars['String']['output'];
  node: Job;
};

/** The upstream a job comes from. */
export type JobSource =
  /** AWS Import/Export (ListJobs, 2010-06-01). */
  | 'IMPORT_EXPORT'
  /** AWS IoT (ListJobs, 2015-05-28). */
  | 'IOT';

export type Node = {
  id: Scalars['ID']['output'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

export type Query = {
  __typename?: 'Query';
  /** Import/Export jobs, newest first. Null, with a coded error, when Import/Export cannot be read. */
  importExportJobs?: Maybe<ImportExportJobConnection>;
  /** IoT jobs: one region's in the upstream's order, several regions' merged newest first. Null, with a coded error, when no selected region can be read; with some down, the others answer. */
  iotJobs?: Maybe<IotJobConnection>;
  /** Jobs of the selected sources merged newest first. When a source fails, the others still answer. */
  jobs: JobConnection;
  node?: Maybe<Node>;
  nodes: Array<Maybe<Node>>;
};


export type QueryImportExportJobsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  createdAfter?: InputMaybe<Scalars['DateTime']['input']>;
  createdBefore?: InputMaybe<Scalars['DateTime']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryIotJobsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  createdAfter?: InputMaybe<Scalars['DateTime']['input']>;
  createdBefore?: InputMaybe<Scalars['DateTime']['input']>;
  filter?: InputMaybe<IotJobFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  regions?: InputMaybe<Array<Scalars['String']['input']>>;
};


export type QueryJobsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  createdAfter?: InputMaybe<Scalars['DateTime']['input']>;
  createdBefore?: InputMaybe<Scalars['DateTime']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  iot?: InputMaybe<IotJobFilter>;
  regions?: InputMaybe<Array<Scalars['String']['input']>>;
  sources?: InputMaybe<Array<JobSource>>;
};


export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


export type QueryNodesArgs = {
  ids: Array<Scalars['ID']['input']>;
};

/** A source, in a region for a regional one, that could not be read for a page. */
export type UnavailableSource = {
  __typename?: 'UnavailableSource';
  /** The error code, as in the errors list: UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT, CURSOR_EXPIRED, ... */
  code: Scalars['String']['output'];
  /** The IoT region; null for Import/Export, which is global. */
  region?: Maybe<Scalars['String']['output']>;
  source: JobSource;
};

type JobFields_ImportExportJob_Fragment = { __typename: 'ImportExportJob', jobType?: ImportExportJobType | null, id: string, jobId: string, source: JobSource, createdAt?: string | null, isCanceled: boolean };

type JobFields_IotJob_Fragment = { __typename: 'IotJob', jobArn?: string | null, thingGroupId?: string | null, targetSelection?: IotTargetSelection | null, status?: IotJobStatus | null, lastUpdatedAt?: string | null, completedAt?: string | null, isConcurrent?: boolean | null, id: string, jobId: string, source: JobSource, createdAt?: string | null, isCanceled: boolean };

export type JobFieldsFragment =
  | JobFields_ImportExportJob_Fragment
  | JobFields_IotJob_Fragment
;

export type JobsPageQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  sources?: InputMaybe<Array<JobSource> | JobSource>;
  iot?: InputMaybe<IotJobFilter>;
}>;


export type JobsPageQuery = { __typename?: 'Query', jobs: { __typename?: 'JobConnection', unavailableSources: Array<JobSource>, edges: Array<{ __typename?: 'JobEdge', cursor: string, node:
        | { __typename: 'ImportExportJob', jobType?: ImportExportJobType | null, id: string, jobId: string, source: JobSource, createdAt?: string | null, isCanceled: boolean }
        | { __typename: 'IotJob', jobArn?: string | null, thingGroupId?: string | null, targetSelection?: IotTargetSelection | null, status?: IotJobStatus | null, lastUpdatedAt?: string | null, completedAt?: string | null, isConcurrent?: boolean | null, id: string, jobId: string, source: JobSource, createdAt?: string | null, isCanceled: boolean }
       }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null } } };

export type IotJobsPageQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<IotJobFilter>;
}>;


export type IotJobsPageQuery = { __typename?: 'Query', iotJobs?: { __typename?: 'IotJobConnection', edges: Array<{ __typename?: 'IotJobEdge', cursor: string, node: { __typename: 'IotJob', jobArn?: string | null, thingGroupId?: string | null, targetSelection?: IotTargetSelection | null, status?: IotJobStatus | null, lastUpdatedAt?: string | null, completedAt?: string | null, isConcurrent?: boolean | null, id: string, jobId: string, source: JobSource, createdAt?: string | null, isCanceled: boolean } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } | null };

export type ImportExportJobsPageQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ImportExportJobsPageQuery = { __typename?: 'Query', importExportJobs?: { __typename?: 'ImportExportJobConnection', edges: Array<{ __typename?: 'ImportExportJobEdge', cursor: string, node: { __typename: 'ImportExportJob', jobType?: ImportExportJobType | null, id: string, jobId: string, source: JobSource, createdAt?: string | null, isCanceled: boolean } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } | null };

export type TwoAliasesQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
}>;


export type TwoAliasesQuery = { __typename?: 'Query', a: { __typename?: 'JobConnection', edges: Array<{ __typename?: 'JobEdge', node:
        | { __typename?: 'ImportExportJob', jobId: string }
        | { __typename?: 'IotJob', jobId: string }
       }> }, b: { __typename?: 'JobConnection', edges: Array<{ __typename?: 'JobEdge', node:
        | { __typename?: 'ImportExportJob', id: string }
        | { __typename?: 'IotJob', id: string }
       }> } };

export type JobsWithDetailsQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type JobsWithDetailsQuery = { __typename?: 'Query', jobs: { __typename?: 'JobConnection', edges: Array<{ __typename?: 'JobEdge', node:
        | { __typename: 'ImportExportJob', jobId: string, status?: { __typename?: 'ImportExportJobStatus', progressCode?: string | null, trackingNumber?: string | null, artifacts: Array<{ __typename?: 'ImportExportArtifact', url?: string | null }> } | null }
        | { __typename: 'IotJob', jobId: string, details?: { __typename?: 'IotJobDetails', description?: string | null, targets: Array<string>, processDetails?: { __typename?: 'IotJobProcessDetails', numberOfSucceededThings?: number | null } | null } | null, again?: { __typename?: 'IotJobDetails', description?: string | null } | null }
       }> } };

export type NodeByIdQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type NodeByIdQuery = { __typename?: 'Query', node?:
    | { __typename: 'ImportExportJob', jobType?: ImportExportJobType | null, id: string, jobId: string, source: JobSource, createdAt?: string | null, isCanceled: boolean }
    | { __typename: 'IotJob', jobArn?: string | null, thingGroupId?: string | null, targetSelection?: IotTargetSelection | null, status?: IotJobStatus | null, lastUpdatedAt?: string | null, completedAt?: string | null, isConcurrent?: boolean | null, id: string, jobId: string, source: JobSource, createdAt?: string | null, isCanceled: boolean }
   | null };

export type NodesByIdsQueryVariables = Exact<{
  ids: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type NodesByIdsQuery = { __typename?: 'Query', nodes: Array<
    | { __typename: 'ImportExportJob', jobType?: ImportExportJobType | null, id: string, jobId: string, source: JobSource, createdAt?: string | null, isCanceled: boolean }
    | { __typename: 'IotJob', jobArn?: string | null, thingGroupId?: string | null, targetSelection?: IotTargetSelection | null, status?: IotJobStatus | null, lastUpdatedAt?: string | null, completedAt?: string | null, isConcurrent?: boolean | null, id: string, jobId: string, source: JobSource, createdAt?: string | null, isCanceled: boolean }
   | null> };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const JobFieldsFragmentDoc = new TypedDocumentString(`
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
    `, {"fragmentName":"JobFields"}) as unknown as TypedDocumentString<JobFieldsFragment, unknown>;
export const JobsPageDocument = new TypedDocumentString(`
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
}`) as unknown as TypedDocumentString<JobsPageQuery, JobsPageQueryVariables>;
export const IotJobsPageDocument = new TypedDocumentString(`
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
}`) as unknown as TypedDocumentString<IotJobsPageQuery, IotJobsPageQueryVariables>;
export const ImportExportJobsPageDocument = new TypedDocumentString(`
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
}`) as unknown as TypedDocumentString<ImportExportJobsPageQuery, ImportExportJobsPageQueryVariables>;
export const TwoAliasesDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<TwoAliasesQuery, TwoAliasesQueryVariables>;
export const JobsWithDetailsDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<JobsWithDetailsQuery, JobsWithDetailsQueryVariables>;
export const NodeByIdDocument = new TypedDocumentString(`
    query NodeById($id: ID!) {
  node(id: $id) {
    ...JobFields
  }
}
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
}`) as unknown as TypedDocumentString<NodeByIdQuery, NodeByIdQueryVariables>;
export const NodesByIdsDocument = new TypedDocumentString(`
    query NodesByIds($ids: [ID!]!) {
  nodes(ids: $ids) {
    ...JobFields
  }
}
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
}`) as unknown as TypedDocumentString<NodesByIdsQuery, NodesByIdsQueryVariables>;