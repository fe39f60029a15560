import { print } from 'graphql';
import { ImportExportJobsPage, IotJobsPage, JobFields, JobsPage } from '../operations.js';
import type { UpstreamLatency } from './simulators-process.js';

/**
 * What the benchmark asks the gateway. The documents are what a frontend would send (named
 * operations with variables); the checks say what a correct answer looks like, so that a gateway
 * that answers fast by answering wrong is caught rather than rewarded.
 */

// The documents and fields the end-to-end tests send, from the same typed documents; only the
// page with details is the benchmark's own.
const JOB_FIELDS = print(JobFields);

const IOT_DETAILS = `
            details {
              description
              comment
              targets
              forceCanceled
              reasonCode
              namespaceId
              jobTemplateArn
              createdAt
              lastUpdatedAt
              completedAt
              processDetails {
                processingTargets
                numberOfSucceededThings
                numberOfFailedThings
                numberOfQueuedThings
                numberOfInProgressThings
              }
            }`;

// IotJob.status (an enum) and ImportExportJob.status (an object) cannot share a response key in
// one selection, so the shipment status is aliased.
const MERGED_PAGE_WITH_DETAILS = `
  query BenchJobsPageWithDetails($first: Int) {
    jobs(first: $first) {
      edges {
        cursor
        node {
          ...JobFields
          ... on IotJob {${IOT_DETAILS}
          }
          ... on ImportExportJob {
            shipment: status {
              locationCode
              locationMessage
              progressCode
              progressMessage
              carrier
              trackingNumber
              errorCount
              artifacts {
                description
                url
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      unavailableSources
    }
  }
  ${JOB_FIELDS}
`;

/** An IoT page whose every job asks for its DescribeJob details. */
const IOT_PAGE_WITH_DETAILS = `
  query BenchIotJobsPageWithDetails($first: Int) {
    iotJobs(first: $first) {
      edges {
        cursor
        node {
          ...JobFields
          ... on IotJob {${IOT_DETAILS}
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${JOB_FIELDS}
`;

export interface GraphQLDocument {
  readonly operationName: string;
  readonly query: string;
  readonly variables: Readonly<Record<string, unknown>>;
  /** Why a decoded answer is wrong, or undefined. */
  readonly verify: (body: unknown) => string | undefined;
}

interface Edge {
  readonly node?: Record<string, unknown> | null;
}

function connection(body: unknown, field: string): { edges: Edge[]; unavailable?: unknown } {
  const data = (body as { data?: Record<string, unknown> | null } | null)?.data;
  const value = data?.[field] as { edges?: Edge[]; unavailableSources?: unknown } | null;
  return { edges: value?.edges ?? [], unavailable: value?.unavailableSources };
}

function mergedPage(first: number, withDetails: boolean): (body: unknown) => string | undefined {
  return (body) => {
    const { edges, unavailable } = connection(body, 'jobs');
    if (edges.length !== first) return `expected ${first} edges, got ${edges.length}`;
    if (!Array.isArray(unavailable) || unavailable.length > 0) {
      return `unavailableSources is ${JSON.stringify(unavailable)}`;
    }
    const sources = new Set(edges.map((edge) => edge.node?.source));
    if (!sources.has('IOT') || !sources.has('IMPORT_EXPORT')) {
      return `a merged page should hold both sources, got ${[...sources].join(', ')}`;
    }
    if (withDetails) {
      for (const { node } of edges) {
        const loaded = node?.__typename === 'IotJob' ? node.details : node?.shipment;
        if (loaded === null || loaded === undefined) return `no details for ${node?.jobId}`;
      }
    }
    return undefined;
  };
}

function iotPage(first: number, withDetails: boolean): (body: unknown) => string | undefined {
  return (body) => {
    const { edges } = connection(body, 'iotJobs');
    if (edges.length !== first) return `expected ${first} edges, got ${edges.length}`;
    if (withDetails && edges.some(({ node }) => !node?.details)) return 'a job without details';
    return undefined;
  };
}

export const documents = {
  mergedPage: {
    operationName: 'JobsPage',
    query: print(JobsPage),
    variables: { first: 20 },
    verify: mergedPage(20, false),
  },
  mergedPageWithDetails: {
    operationName: 'BenchJobsPageWithDetails',
    query: MERGED_PAGE_WITH_DETAILS,
    variables: { first: 20 },
    verify: mergedPage(20, true),
  },
  iotPage: {
    operationName: 'IotJobsPage',
    query: print(IotJobsPage),
    variables: { first: 20 },
    verify: iotPage(20, false),
  },
  iotPageWithDetails: {
    operationName: 'BenchIotJobsPageWithDetails',
    query: IOT_PAGE_WITH_DETAILS,
    variables: { first: 20 },
    verify: iotPage(20, true),
  },
  importExportPage: {
    operationName: 'ImportExportJobsPage',
    query: print(ImportExportJobsPage),
    variables: { first: 100 },
    verify: (body) => {
      const { edges } = connection(body, 'importExportJobs');
      return edges.length === 100 ? undefined : `expected 100 edges, got ${edges.length}`;
    },
  },
} satisfies Record<string, GraphQLDocument>;

/** Ten variants of a document's request, `first` from 11 to 20: ten different pages. */
export function distinctBodies(document: GraphQLDocument): string[] {
  return Array.from({ length: 10 }, (_, i) =>
    requestBody({ ...document, variables: { ...document.variables, first: 11 + i } }),
  );
}

/** The HTTP body a client posts for a document. */
export function requestBody(document: GraphQLDocument): string {
  return JSON.stringify({
    operationName: document.operationName,
    query: document.query,
    variables: document.variables,
  });
}

export interface ThroughputScenario {
  readonly id: string;
  readonly title: string;
  readonly document: GraphQLDocument;
  readonly latency: UpstreamLatency;
  /** Concurrencies the gateway is measured at. */
  readonly gatewayConnections: readonly number[];
  /** Concurrencies the bare server replays the same bytes at (the throughput ceiling). */
  readonly bareConnections: readonly number[];
  /**
   * Concurrencies the gateway is also measured at with different pages in flight: `first` from 11
   * to 20 in turn, so that no two requests in flight read the same upstream page (identical reads
   * in flight at once are made once, and their requests then finish together).
   */
  readonly distinctConnections?: readonly number[];
  /** Concurrencies the gateway serving from memory is measured at (the yoga baseline). */
  readonly memoryConnections?: readonly number[];
  /** Whether to measure the simulators directly at this latency (the latency baseline). */
  readonly upstreamBaseline: boolean;
}

export const throughputScenarios: readonly ThroughputScenario[] = [
  {
    id: 'merged-0ms',
    title: '1. merged jobs(first: 20), upstreams 0 ms',
    document: documents.mergedPage,
    latency: { iotMs: 0, importExportMs: 0 },
    gatewayConnections: [10, 50],
    bareConnections: [10, 50],
    memoryConnections: [10, 50],
    upstreamBaseline: false,
  },
  {
    id: 'merged-20ms',
    title: '2. merged jobs(first: 20), upstreams 20 ms',
    document: documents.mergedPage,
    latency: { iotMs: 20, importExportMs: 20 },
    gatewayConnections: [10, 50],
    bareConnections: [],
    distinctConnections: [10],
    upstreamBaseline: true,
  },
  {
    id: 'details-0ms',
    title: '3. merged page + IotJob.details + ImportExportJob.status, 0 ms',
    document: documents.mergedPageWithDetails,
    latency: { iotMs: 0, importExportMs: 0 },
    gatewayConnections: [10, 50],
    bareConnections: [50],
    upstreamBaseline: false,
  },
  {
    id: 'import-export-100',
    title: '4. importExportJobs(first: 100), 0 ms',
    document: documents.importExportPage,
    latency: { iotMs: 0, importExportMs: 0 },
    gatewayConnections: [10, 50],
    bareConnections: [50],
    upstreamBaseline: false,
  },
  {
    id: 'merged-20-40ms',
    title: '5. merged jobs(first: 20), IoT 20 ms, Import/Export 40 ms',
    document: documents.mergedPage,
    latency: { iotMs: 20, importExportMs: 40 },
    gatewayConnections: [10],
    bareConnections: [],
    distinctConnections: [10],
    upstreamBaseline: true,
  },
  {
    id: 'iot-20ms',
    title: '6. iotJobs(first: 20), upstreams 20 ms',
    document: documents.iotPage,
    latency: { iotMs: 20, importExportMs: 20 },
    gatewayConnections: [1, 10],
    bareConnections: [],
    upstreamBaseline: false,
  },
  {
    id: 'iot-details-20ms',
    title: '7. iotJobs(first: 20) + details of its 20 jobs, upstreams 20 ms',
    document: documents.iotPageWithDetails,
    latency: { iotMs: 20, importExportMs: 20 },
    gatewayConnections: [1, 10],
    bareConnections: [],
    upstreamBaseline: false,
  },
];

export type { UpstreamLatency };

/** The memory scenario: requests held in flight by slow upstreams. */
export const MEMORY_LATENCY: UpstreamLatency = { iotMs: 50, importExportMs: 50 };
