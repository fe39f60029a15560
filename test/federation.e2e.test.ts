import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  type DocumentNode,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  validate,
} from 'graphql';
import { createYoga } from 'graphql-yoga';
import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway';
import { getComposedSchemaFromConfig, loadGraphQLHTTPSubgraph } from '@graphql-mesh/compose-cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './harness.js';

/**
 * Our subgraph composed beside a second Relay-style subgraph (a shipping service with its own
 * `Node`, `PageInfo`, `Query.node` and connection), run behind a real @apollo/gateway, every hop
 * over HTTP. The shipping subgraph only knows job ids; everything else about a job comes from ours
 * through `_entities`.
 */

const FEDERATION = 'https://specs.apollo.dev/federation/v2.6';

const SHIPPING_SDL = `
  extend schema @link(url: "${FEDERATION}", import: ["@key", "@shareable"])

  interface Node {
    id: ID!
  }

  type PageInfo @shareable {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type IotJob implements Node @key(fields: "id", resolvable: false) {
    id: ID!
  }

  type ImportExportJob implements Node @key(fields: "id", resolvable: false) {
    id: ID!
  }

  union ShippedJob = IotJob | ImportExportJob

  type Shipment implements Node {
    id: ID!
    trackingCode: String!
    job: ShippedJob!
  }

  type ShipmentEdge {
    node: Shipment!
    cursor: String!
  }

  type ShipmentConnection {
    edges: [ShipmentEdge!]!
    pageInfo: PageInfo!
  }

  type Query {
    shipments(first: Int, after: String): ShipmentConnection!
    node(id: ID!): Node
    nodes(ids: [ID!]!): [Node]!
  }
`;

type JobTypename = 'IotJob' | 'ImportExportJob';

interface ShipmentRecord {
  readonly id: string;
  readonly trackingCode: string;
  readonly job: { readonly __typename: JobTypename; readonly id: string };
}

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

function createShippingSchema(
  shipments: readonly ShipmentRecord[],
  sdl = SHIPPING_SDL,
): GraphQLSchema {
  const byId = new Map(shipments.map((s) => [s.id, s]));
  const typed = (s: ShipmentRecord | undefined) => (s ? { __typename: 'Shipment', ...s } : null);
  return buildSubgraphSchema({
    typeDefs: parse(sdl),
    resolvers: {
      Query: {
        // Offset cursors are enough for a test double; the point is a second PageInfo.
        shipments: (_root: unknown, args: { first?: number | null; after?: string | null }) => {
          const start = args.after ? Number(Buffer.from(args.after, 'base64url').toString()) : 0;
          const slice = shipments.slice(start, start + (args.first ?? 10));
          const cursor = (i: number) => base64url(String(start + i + 1));
          return {
            edges: slice.map((node, i) => ({ node, cursor: cursor(i) })),
            pageInfo: {
              hasNextPage: start + slice.length < shipments.length,
              hasPreviousPage: false,
              startCursor: slice.length ? cursor(0) : null,
              endCursor: slice.length ? cursor(slice.length - 1) : null,
            },
          };
        },
        node: (_root: unknown, args: { id: string }) => typed(byId.get(args.id)),
        nodes: (_root: unknown, args: { ids: string[] }) =>
          args.ids.map((id) => typed(byId.get(id))),
      },
      Node: { __resolveType: (value: { __typename: string }) => value.__typename },
      ShippedJob: { __resolveType: (value: { __typename: string }) => value.__typename },
    },
  });
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const urlOf = (server: Server) =>
  `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;

async function post<T>(url: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { data?: T; errors?: unknown[] };
}

const queryFieldsOf = (document: DocumentNode) =>
  document.definitions.flatMap((d) =>
    (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) &&
    d.name.value === 'Query'
      ? (d.fields ?? []).map((f) => f.name.value)
      : [],
  );

// What a job looks like, asked of the gateway (through shipments) and of our API (through nodes).
// The two `status` fields have different types, hence the alias.
const JOB_SELECTION = `
  __typename
  ... on IotJob { id jobId source createdAt isCanceled status thingGroupId jobArn
                  details { description targets } }
  ... on ImportExportJob { id jobId source createdAt isCanceled jobType
                           progress: status { progressCode trackingNumber } }
`;

const JOBS_PAGE = `
  query FederatedJobs($first: Int, $after: String) {
    jobs(first: $first, after: $after) {
      edges { cursor node { ${JOB_SELECTION} } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      unavailableSources
    }
  }
`;

const SHIPMENTS_PAGE = `
  query ShipmentsWithJobs($first: Int, $after: String) {
    shipments(first: $first, after: $after) {
      edges { cursor node { id trackingCode job { ${JOB_SELECTION} } } }
      pageInfo { hasNextPage hasPreviousPage endCursor }
    }
  }
`;

interface Job {
  __typename: JobTypename;
  id: string;
  jobId: string;
  source: 'IOT' | 'IMPORT_EXPORT';
}

interface JobsPageData {
  jobs: {
    edges: { cursor: string; node: Job }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

interface ShipmentsPageData {
  shipments: {
    edges: { cursor: string; node: { id: string; trackingCode: string; job: Job } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

interface GatewayResult<T> {
  data?: T | null;
  errors?: readonly unknown[];
}

type Executor = Awaited<ReturnType<ApolloGateway['load']>>['executor'];
type RequestContext = Parameters<Executor>[0];

describe('federation: our subgraph beside another Relay subgraph, behind @apollo/gateway', () => {
  let stack: Stack;
  let subgraphUrl: string;
  let shipping: Server;
  let gateway: ApolloGateway;
  let gatewaySchema: GraphQLSchema;
  let executor: Executor;
  let ourSdl: string;
  let shipments: ShipmentRecord[];

  /** Runs an operation through the gateway, validated against the supergraph's API schema. */
  async function throughGateway<T>(
    source: string,
    variables: Record<string, unknown> = {},
  ): Promise<GatewayResult<T>> {
    const document = parse(source);
    expect(validate(gatewaySchema, document)).toEqual([]);
    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    if (!operation) throw new Error('no operation in the document');
    const context = {
      request: { query: source, variables },
      document,
      source,
      operation,
      operationName: operation.name?.value ?? null,
      // Plans are cached by this hash: two documents with one hash would share a plan.
      queryHash: createHash('sha256').update(source).digest('hex'),
      schema: gatewaySchema,
      context: {},
      metrics: {},
      logger: console,
    } as unknown as RequestContext;
    return (await executor(context)) as GatewayResult<T>;
  }

  beforeAll(async () => {
    stack = await startStack({ iotJobs: 30, importExportJobs: 20 });
    subgraphUrl = stack.url.replace(/\/graphql$/, '/subgraph');

    // Two jobs of each source, picked from what our API lists.
    const listed = await post<JobsPageData>(stack.url, JOBS_PAGE, { first: 30 });
    const jobs = listed.data?.jobs.edges.map((e) => e.node) ?? [];
    const pick = (source: Job['source']) => jobs.filter((j) => j.source === source).slice(0, 2);
    const referenced = [...pick('IOT'), ...pick('IMPORT_EXPORT')];
    expect(referenced).toHaveLength(4);
    shipments = [...referenced, referenced[0] as Job].map((job, i) => ({
      id: base64url(`Shipment:${i + 1}`),
      trackingCode: `TRK-${String(i + 1).padStart(4, '0')}`,
      job: { __typename: job.__typename, id: job.id },
    }));

    const shippingYoga = createYoga({
      schema: createShippingSchema(shipments),
      graphqlEndpoint: '/graphql',
      landingPage: false,
      graphiql: false,
    });
    shipping = await listen(shippingYoga);

    const service = await post<{ _service: { sdl: string } }>(subgraphUrl, '{ _service { sdl } }');
    ourSdl = service.data?._service.sdl ?? '';
    const composed = composeServices([
      { name: 'jobs', typeDefs: parse(ourSdl), url: subgraphUrl },
      { name: 'shipping', typeDefs: parse(SHIPPING_SDL), url: urlOf(shipping) },
    ]);
    expect(composed.errors?.map((e) => e.message)).toBeUndefined();
    if (!composed.supergraphSdl) throw new Error('composition gave no supergraph');

    gateway = new ApolloGateway({ supergraphSdl: composed.supergraphSdl, logger: quietLogger });
    const loaded = await gateway.load();
    gatewaySchema = loaded.schema;
    executor = loaded.executor;
  });

  afterAll(async () => {
    await gateway?.stop();
    await new Promise<void>((resolve) => {
      if (!shipping) return resolve();
      shipping.close(() => resolve());
      shipping.closeAllConnections();
    });
    await stack?.close();
  });

  it('serves its SDL in _service, equal to schema/subgraph.graphql but for layout', () => {
    const committed = readFileSync(new URL('../schema/subgraph.graphql', import.meta.url), 'utf8');
    expect(print(parse(ourSdl))).toBe(print(parse(committed)));
  });

  it('leaves node/nodes to the API: present on /graphql, absent from the subgraph', async () => {
    const api = await post<{ __schema: { queryType: { fields: { name: string }[] } } }>(
      stack.url,
      '{ __schema { queryType { fields { name } } } }',
    );
    const apiFields = api.data?.__schema.queryType.fields.map((f) => f.name);
    expect(apiFields).toEqual(expect.arrayContaining(['node', 'nodes', 'jobs']));
    const subgraphFields = queryFieldsOf(parse(ourSdl));
    expect(subgraphFields).toContain('jobs');
    expect(subgraphFields).not.toContain('node');
    expect(subgraphFields).not.toContain('nodes');
    // The other subgraph owns node/nodes in the supergraph; composition accepted it (beforeAll).
    expect(queryFieldsOf(parse(SHIPPING_SDL))).toEqual(expect.arrayContaining(['node', 'nodes']));
    expect(Object.keys(gatewaySchema.getQueryType()?.getFields() ?? {})).toEqual(
      expect.arrayContaining(['jobs', 'shipments', 'node', 'nodes']),
    );
  });

  it('would not compose with a Query.node of its own: the reason it has none', () => {
    const withNode = `${ourSdl}\nextend type Query { node(id: ID!): Node }\n`;
    const composed = composeServices([
      { name: 'jobs', typeDefs: parse(withNode), url: subgraphUrl },
      { name: 'shipping', typeDefs: parse(SHIPPING_SDL), url: urlOf(shipping) },
    ]);
    expect(composed.errors?.map((e) => e.message).join('\n')).toMatch(/Query\.node/);
  });

  it('pages our jobs through the gateway exactly as the API does', async () => {
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const variables: Record<string, unknown> = { first: 7, after };
      const federated: GatewayResult<JobsPageData> = await throughGateway(JOBS_PAGE, variables);
      const direct = await post<JobsPageData>(stack.url, JOBS_PAGE, variables);
      expect(federated.errors).toBeUndefined();
      expect(federated.data?.jobs.edges).toHaveLength(7);
      // Cursors hold upstream page tokens, which the upstream issues afresh on every read.
      expect(withoutCursors(federated.data)).toEqual(withoutCursors(direct.data));
      after = federated.data?.jobs.pageInfo.endCursor ?? null;
      expect(after).not.toBeNull();
    }
  });

  it("resolves the other subgraph's references to both job types from ours", async () => {
    const seen: ShipmentsPageData['shipments']['edges'] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const result: GatewayResult<ShipmentsPageData> = await throughGateway(SHIPMENTS_PAGE, {
        first: 2,
        after,
      });
      expect(result.errors).toBeUndefined();
      const connection = result.data?.shipments;
      seen.push(...(connection?.edges ?? []));
      if (!connection?.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen.map((e) => e.node.id)).toEqual(shipments.map((s) => s.id));
    expect(new Set(seen.map((e) => e.node.job.__typename))).toEqual(
      new Set(['IotJob', 'ImportExportJob']),
    );

    // The same jobs, asked of our API directly, field for field.
    const ids = shipments.map((s) => s.job.id);
    const direct = await post<{ nodes: Job[] }>(
      stack.url,
      `query Refetch($ids: [ID!]!) { nodes(ids: $ids) { ${JOB_SELECTION} } }`,
      { ids },
    );
    expect(direct.errors).toBeUndefined();
    expect(direct.data?.nodes).toHaveLength(ids.length);
    expect(direct.data?.nodes.every((job) => job !== null && job.jobId !== '')).toBe(true);
    expect(seen.map((e) => e.node.job)).toEqual(direct.data?.nodes);
  });

  it('answers an _entities batch entry by entry: a bad representation nulls its own', async () => {
    const [iot, importExport] = [shipments[0], shipments[2]].map((s) => s?.job);
    const representations = [
      iot,
      { __typename: 'IotJob', id: 'not an id' },
      { __typename: 'IotJob' },
      { __typename: 'IotJob', id: importExport?.id },
      { __typename: 'Shipment', id: iot?.id },
      { __typename: 'NoSuchType', id: iot?.id },
      importExport,
      { __typename: 'IotJob', id: base64url('IotJob:no-such-job') },
    ];
    const result = await post<{ _entities: ({ jobId: string } | null)[] }>(
      subgraphUrl,
      `query Entities($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on IotJob { jobId }
          ... on ImportExportJob { jobId }
        }
      }`,
      { representations },
    );
    const entries = result.data?._entities ?? [];
    expect(entries).toHaveLength(representations.length);
    expect(entries[0]?.jobId).toEqual(expect.any(String));
    expect(entries[6]?.jobId).toEqual(expect.any(String));
    // Not found is no error: the entity is null, as `node` answers.
    expect(entries[7]).toBeNull();
    const errors = (result.errors ?? []) as {
      path: (string | number)[];
      extensions: { code: string };
    }[];
    const byEntry = new Map(errors.map((e) => [e.path[1], e.extensions.code]));
    expect(Object.fromEntries(byEntry)).toEqual({
      1: 'BAD_USER_INPUT',
      2: 'BAD_USER_INPUT',
      3: 'BAD_USER_INPUT',
      4: 'BAD_USER_INPUT',
      5: 'BAD_USER_INPUT',
    });
    for (const i of [1, 2, 3, 4, 5]) expect(entries[i]).toBeNull();
  });
});

// The gateway logs its start-up at info level; the test output should show only failures.
const quietLogger = {
  debug: () => {},
  info: () => {},
  warn: (message: unknown) => console.warn(message),
  error: (message: unknown) => console.error(message),
};

function withoutCursors(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, v) =>
    key === 'cursor' || key === 'startCursor' || key === 'endCursor' ? typeof v : v,
  );
}

describe('federation behind Hive Gateway, composed by mesh-compose as the README shows', () => {
  let stack: Stack;
  let shipping: Server;
  let hive: GatewayRuntime;
  let shipments: ShipmentRecord[];
  let jobsById: Map<string, Job>;
  const badId = 'not-a-job-id';

  // The shipping subgraph of the other tests, with a nullable job: one unknown job must not take
  // its shipment (and, non-null all the way up, the whole page) with it.
  const sdl = SHIPPING_SDL.replace('job: ShippedJob!', 'job: ShippedJob');

  beforeAll(async () => {
    // As in production: no introspection, so composition must read `_service { sdl }`.
    stack = await startStack({
      iotJobs: 30,
      importExportJobs: 20,
      config: { introspection: false },
    });
    const listed = await post<JobsPageData>(stack.url, JOBS_PAGE, { first: 30 });
    const jobs = listed.data?.jobs.edges.map((e) => e.node) ?? [];
    jobsById = new Map(jobs.map((j) => [j.id, j]));
    const pick = (source: Job['source']) => jobs.filter((j) => j.source === source).slice(0, 4);
    const referenced = [...pick('IOT'), ...pick('IMPORT_EXPORT')];
    expect(referenced).toHaveLength(8);
    shipments = referenced.map((job, i) => ({
      id: base64url(`Shipment:${i + 1}`),
      trackingCode: `TRK-${String(i + 1).padStart(4, '0')}`,
      job: { __typename: job.__typename, id: i === 3 ? badId : job.id },
    }));
    shipping = await listen(
      createYoga({
        schema: createShippingSchema(shipments, sdl),
        graphqlEndpoint: '/graphql',
        landingPage: false,
        graphiql: false,
      }),
    );

    // mesh.config.ts of the README, as an object.
    const supergraph = await getComposedSchemaFromConfig(
      {
        subgraphs: [
          {
            sourceHandler: loadGraphQLHTTPSubgraph('jobs', {
              endpoint: stack.url.replace(/\/graphql$/, '/subgraph'),
              federation: true,
            }),
          },
          {
            sourceHandler: loadGraphQLHTTPSubgraph('shipping', {
              endpoint: urlOf(shipping),
              federation: true,
            }),
          },
        ],
      },
      silentMeshLogger,
    );
    hive = createGatewayRuntime({ supergraph, logging: false });
  });

  afterAll(async () => {
    await hive?.dispose();
    await new Promise<void>((resolve) => {
      if (!shipping) return resolve();
      shipping.close(() => resolve());
      shipping.closeAllConnections();
    });
    await stack?.close();
  });

  async function throughHive<T>(query: string, variables: Record<string, unknown> = {}) {
    const response = await hive.fetch('http://hive.local/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as {
      data?: T | null;
      errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
    };
  }

  it('pages our jobs through Hive Gateway exactly as the API does', async () => {
    const variables = { first: 7, after: null };
    const federated = await throughHive<JobsPageData>(JOBS_PAGE, variables);
    const direct = await post<JobsPageData>(stack.url, JOBS_PAGE, variables);
    expect(federated.errors).toBeUndefined();
    expect(federated.data?.jobs.edges).toHaveLength(7);
    expect(withoutCursors(federated.data)).toEqual(withoutCursors(direct.data));
  });

  it('resolves every reference of the other subgraph in one batch, the bad one alone failing', async () => {
    const result = await throughHive<ShipmentsPageData>(SHIPMENTS_PAGE, { first: 20 });
    const edges = result.data?.shipments.edges ?? [];
    expect(edges.map((e) => e.node.id)).toEqual(shipments.map((s) => s.id));
    edges.forEach(({ node }, i) => {
      if (i === 3) {
        expect(node.job).toBeNull();
        return;
      }
      const expected = jobsById.get(shipments[i]?.job.id as string);
      expect(node.job).toMatchObject({
        __typename: expected?.__typename,
        id: expected?.id,
        jobId: expected?.jobId,
      });
    });
    expect(result.errors).toHaveLength(1);
    // Hive points at the first field it could not fill under the job.
    expect(result.errors?.[0]?.path?.slice(0, 5)).toEqual(['shipments', 'edges', 3, 'node', 'job']);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

const silentMeshLogger = {
  log: () => {},
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: (...args: unknown[]) => console.error(...args),
  child: () => silentMeshLogger,
} as unknown as Parameters<typeof getComposedSchemaFromConfig>[1];
