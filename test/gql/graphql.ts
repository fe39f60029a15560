/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
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
  /** Sources that could not be read for this page. Their jobs are not lost: the cursors keep their positions, so later pages read them again; except a source whose code in `unavailable` is CURSOR_EXPIRED, which this walk cannot continue. */
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
  /** Sources that could not be read for this page. Their jobs are not lost: the cursors keep their positions, so later pages read them again; except a source whose code in `unavailable` is CURSOR_EXPIRED, which this walk cannot continue. */
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

export const JobFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"JobFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Job"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"jobId"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"isCanceled"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"IotJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobArn"}},{"kind":"Field","name":{"kind":"Name","value":"thingGroupId"}},{"kind":"Field","name":{"kind":"Name","value":"targetSelection"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastUpdatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"isConcurrent"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ImportExportJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobType"}}]}}]}}]} as unknown as DocumentNode<JobFieldsFragment, unknown>;
export const JobsPageDocument = {"__meta__":{"hash":"9fdfabeec98b0bec518d633055a1b3e6d44a6977f26450d420b79c5f4610b489"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"JobsPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sources"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JobSource"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"iot"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"IotJobFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"sources"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sources"}}},{"kind":"Argument","name":{"kind":"Name","value":"iot"},"value":{"kind":"Variable","name":{"kind":"Name","value":"iot"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"JobFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"unavailableSources"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"JobFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Job"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"jobId"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"isCanceled"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"IotJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobArn"}},{"kind":"Field","name":{"kind":"Name","value":"thingGroupId"}},{"kind":"Field","name":{"kind":"Name","value":"targetSelection"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastUpdatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"isConcurrent"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ImportExportJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobType"}}]}}]}}]} as unknown as DocumentNode<JobsPageQuery, JobsPageQueryVariables>;
export const IotJobsPageDocument = {"__meta__":{"hash":"611b37ef091bdb872f5f330a90adcf605598f1043e318e7e64b8c0daa651cf8c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"IotJobsPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"IotJobFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"iotJobs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"JobFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"JobFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Job"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"jobId"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"isCanceled"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"IotJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobArn"}},{"kind":"Field","name":{"kind":"Name","value":"thingGroupId"}},{"kind":"Field","name":{"kind":"Name","value":"targetSelection"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastUpdatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"isConcurrent"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ImportExportJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobType"}}]}}]}}]} as unknown as DocumentNode<IotJobsPageQuery, IotJobsPageQueryVariables>;
export const ImportExportJobsPageDocument = {"__meta__":{"hash":"9c683fb44a1b3bd1ad3f0bf760bcbdb4cadb01f9f6f2fde98fc42b26a07b4db3"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ImportExportJobsPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"importExportJobs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"JobFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"JobFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Job"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"jobId"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"isCanceled"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"IotJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobArn"}},{"kind":"Field","name":{"kind":"Name","value":"thingGroupId"}},{"kind":"Field","name":{"kind":"Name","value":"targetSelection"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastUpdatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"isConcurrent"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ImportExportJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobType"}}]}}]}}]} as unknown as DocumentNode<ImportExportJobsPageQuery, ImportExportJobsPageQueryVariables>;
export const TwoAliasesDocument = {"__meta__":{"hash":"6025ad4ce51d9dceb825004c9719825b6383bb3e16a879a58c0d884e06038c42"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TwoAliases"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"a"},"name":{"kind":"Name","value":"jobs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobId"}}]}}]}}]}},{"kind":"Field","alias":{"kind":"Name","value":"b"},"name":{"kind":"Name","value":"jobs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]}}]} as unknown as DocumentNode<TwoAliasesQuery, TwoAliasesQueryVariables>;
export const JobsWithDetailsDocument = {"__meta__":{"hash":"c5286bde049699d96d74e11568c00726ede598bd317fc416b0538df8d6c088fc"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"JobsWithDetails"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"jobId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"IotJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"details"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"targets"}},{"kind":"Field","name":{"kind":"Name","value":"processDetails"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"numberOfSucceededThings"}}]}}]}},{"kind":"Field","alias":{"kind":"Name","value":"again"},"name":{"kind":"Name","value":"details"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"description"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ImportExportJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"progressCode"}},{"kind":"Field","name":{"kind":"Name","value":"trackingNumber"}},{"kind":"Field","name":{"kind":"Name","value":"artifacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<JobsWithDetailsQuery, JobsWithDetailsQueryVariables>;
export const NodeByIdDocument = {"__meta__":{"hash":"25e1a3d213b1866ce1a1c541dc562d1a6d55177c3e752fbf699380dcb6b9610a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"NodeById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"JobFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"JobFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Job"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"jobId"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"isCanceled"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"IotJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobArn"}},{"kind":"Field","name":{"kind":"Name","value":"thingGroupId"}},{"kind":"Field","name":{"kind":"Name","value":"targetSelection"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastUpdatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"isConcurrent"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ImportExportJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobType"}}]}}]}}]} as unknown as DocumentNode<NodeByIdQuery, NodeByIdQueryVariables>;
export const NodesByIdsDocument = {"__meta__":{"hash":"a5b43beedfd03fd3f922be80b21de8ef7ea31dba000cf9ef88f69a6d266c9abd"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"NodesByIds"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"JobFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"JobFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Job"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"jobId"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"isCanceled"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"IotJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobArn"}},{"kind":"Field","name":{"kind":"Name","value":"thingGroupId"}},{"kind":"Field","name":{"kind":"Name","value":"targetSelection"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastUpdatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"isConcurrent"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ImportExportJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobType"}}]}}]}}]} as unknown as DocumentNode<NodesByIdsQuery, NodesByIdsQueryVariables>;