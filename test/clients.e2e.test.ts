import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import {
  ApolloClient,
  type DocumentNode,
  HttpLink,
  InMemoryCache,
  type TypedDocumentNode,
} from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { cacheExchange as documentCache, Client, fetchExchange } from '@urql/core';
import { cacheExchange as graphcache } from '@urql/exchange-graphcache';
import { relayPagination } from '@urql/exchange-graphcache/extras';
import {
  createOperationDescriptor,
  Environment,
  fetchQuery,
  getSelector,
  type GraphQLTaggedNode,
  Network,
  type ReaderFragment,
  RecordSource,
  type SingularReaderSelector,
  Store,
} from 'relay-runtime';
import {
  buildSchema,
  type FieldNode,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  isAbstractType,
  isObjectType,
  Kind,
  parse,
  validate,
  visit,
} from 'graphql';
import { filter, firstValueFrom, map } from 'rxjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import introspection from './gql/possible-types.js';
import urqlSchema from './gql/urql-schema.js';
import { type Stack, startStack } from './harness.js';
import { ImportExportJobsPage, IotJobsPage, JobsPage } from './operations.js';
import jobsAllPaginationQuery from './relay/__generated__/jobsAllPaginationQuery.graphql.js';
import jobsAllQuery from './relay/__generated__/jobsAllQuery.graphql.js';
import jobsImportExportPaginationQuery from './relay/__generated__/jobsImportExportPaginationQuery.graphql.js';
import jobsImportExportQuery from './relay/__generated__/jobsImportExportQuery.graphql.js';
import jobsIotPaginationQuery from './relay/__generated__/jobsIotPaginationQuery.graphql.js';
import jobsIotQuery from './relay/__generated__/jobsIotQuery.graphql.js';
import jobsAllFragment from './relay/__generated__/jobs_all.graphql.js';
import jobsImportExportFragment from './relay/__generated__/jobs_importExport.graphql.js';
import jobsIotFragment from './relay/__generated__/jobs_iot.graphql.js';

/**
 * The clients frontends use, from npm, each set up with its defaults plus exactly what the README
 * tells a user to add, walking each connection to its end: every job exactly once, the fields
 * selected through `... on Job` present, and not one warning from the client.
 */

const IOT_JOBS = 230;
const IMPORT_EXPORT_JOBS = 120;
const PAGE = 40;

type Field = 'jobs' | 'iotJobs' | 'importExportJobs';
const FIELDS: readonly Field[] = ['jobs', 'iotJobs', 'importExportJobs'];
const EXPECTED: Record<Field, number> = {
  jobs: IOT_JOBS + IMPORT_EXPORT_JOBS,
  iotJobs: IOT_JOBS,
  importExportJobs: IMPORT_EXPORT_JOBS,
};
const SOURCES: Record<Field, string[]> = {
  jobs: ['IMPORT_EXPORT', 'IOT'],
  iotJobs: ['IOT'],
  importExportJobs: ['IMPORT_EXPORT'],
};

/**
 * The types graphcache is told have no key (the README's `keys`): every object type of the schema
 * without an `id`, besides Query. One left out makes graphcache warn once it sees it in an answer.
 */
const GRAPHCACHE_EMBEDDED = [
  'JobConnection',
  'JobEdge',
  'IotJobConnection',
  'IotJobEdge',
  'ImportExportJobConnection',
  'ImportExportJobEdge',
  'PageInfo',
  'IotJobDetails',
  'IotJobProcessDetails',
  'ImportExportJobStatus',
  'ImportExportArtifact',
  'UnavailableSource',
];

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The README's example operation of that name, as written there. */
function readmeOperation(name: string): string {
  const block = [...README.matchAll(/```graphql\n([\s\S]*?)```/g)]
    .map((match) => match[1] as string)
    .find((text) => text.includes(`query ${name}(`));
  if (!block) throw new Error(`the README has no operation ${name}`);
  return block;
}

interface JobNode {
  __typename: string;
  id: string;
  jobId: string;
  source: string;
  createdAt: string | null;
  isCanceled: boolean;
}

interface Connection {
  edges: { node: JobNode }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** Every job once, each with the interface fields, both sources where the field has both. */
function expectComplete(field: Field, nodes: readonly JobNode[]) {
  expect(nodes).toHaveLength(EXPECTED[field]);
  expect(new Set(nodes.map((n) => n.id)).size).toBe(EXPECTED[field]);
  for (const node of nodes) {
    expect(node.__typename).toMatch(/^(IotJob|ImportExportJob)$/);
    expect(node.id).toEqual(expect.any(String));
    expect(node.jobId).toEqual(expect.any(String));
    expect(node.createdAt).toEqual(expect.any(String));
    expect(node.isCanceled).toEqual(expect.any(Boolean));
  }
  expect([...new Set(nodes.map((n) => n.source))].sort()).toEqual(SOURCES[field]);
}

/** What went over the wire: the method of each request and the edges of each answer. */
function recordingFetch() {
  const methods: string[] = [];
  const edgesPerAnswer: string[][] = [];
  const record: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    methods.push(request.method);
    const response = await fetch(request);
    const body = (await response.clone().json()) as {
      data?: Record<string, { edges: { node: { id: string } }[] } | null>;
    };
    for (const value of Object.values(body.data ?? {})) {
      if (value && Array.isArray(value.edges))
        edgesPerAnswer.push(value.edges.map((e) => e.node.id));
    }
    return response;
  };
  return {
    fetch: record,
    methods,
    /** Ids over all answers: a duplicate here is one the client might have hidden. */
    ids: () => edgesPerAnswer.flat(),
  };
}

/** Fails the test on any console output: the clients warn there (Apollo, Relay, graphcache). */
function watchConsole() {
  const spies = (['warn', 'error', 'log', 'info'] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation(() => {}),
  );
  return {
    said: () => spies.flatMap((spy) => spy.mock.calls.map((call) => call.map(String).join(' '))),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}

describe('what codegen wrote for the clients', () => {
  it('is current with schema/schema.graphql', () => {
    const schema = buildSchema(
      readFileSync(new URL('../schema/schema.graphql', import.meta.url), 'utf8'),
    );
    const possible = (name: string) =>
      schema
        .getPossibleTypes(schema.getType(name) as GraphQLInterfaceType)
        .map((t) => t.name)
        .sort();
    expect(introspection.possibleTypes).toEqual({ Job: possible('Job'), Node: possible('Node') });
    // The minified schema keeps what graphcache reads: the output types with fields.
    const types = urqlSchema.__schema.types
      .map((t) => t.name)
      .filter((name) => name !== 'Any')
      .sort();
    const expected = Object.values(schema.getTypeMap())
      .filter((t) => !t.name.startsWith('__') && (isObjectType(t) || isAbstractType(t)))
      .map((t) => t.name)
      .sort();
    expect(types).toEqual(expected);
  });
});

describe('what the README tells graphcache users', () => {
  const schema = buildSchema(
    readFileSync(new URL('../schema/schema.graphql', import.meta.url), 'utf8'),
  );

  it('names every object type without an id as embedded, and only those', () => {
    const withoutId = Object.values(schema.getTypeMap())
      .filter((t) => !t.name.startsWith('__') && isObjectType(t) && t.name !== 'Query')
      .filter((t) => !('id' in (t as GraphQLObjectType).getFields()))
      .map((t) => t.name)
      .sort();
    expect([...GRAPHCACHE_EMBEDDED].sort()).toEqual(withoutId);
    const urqlSection = README.slice(README.indexOf('**urql 6.**'), README.indexOf('**Relay.**'));
    const listed = /\[((?:\s*'\w+',?)+)\s*\]\.map\(\(type\) => \[type, embedded\]\)/.exec(
      urqlSection,
    );
    expect(listed, 'the keys of the README urql section').not.toBeNull();
    const names = [...(listed?.[1] ?? '').matchAll(/'(\w+)'/g)].map((m) => m[1]).sort();
    expect(names).toEqual(withoutId);
  });

  it('selects id wherever its example queries select a job, so that graphcache can key it', () => {
    const examples = README.slice(
      README.indexOf('## Example queries'),
      README.indexOf('## How paging works'),
    );
    const blocks = [...examples.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    expect(blocks.length).toBeGreaterThan(2);
    for (const text of blocks) {
      const document = parse(text.replace(/#[^\n]*/g, ''));
      expect(validate(schema, document), text).toEqual([]);
      visit(document, {
        Field(field) {
          if (field.name.value !== 'node' || !field.selectionSet) return;
          const direct = field.selectionSet.selections.filter(
            (s): s is FieldNode => s.kind === Kind.FIELD,
          );
          expect(
            direct.map((s) => s.name.value),
            text,
          ).toContain('id');
        },
      });
    }
  });
});

describe('real clients walk every connection to its end', () => {
  let stack: Stack;
  let consoleWatch: ReturnType<typeof watchConsole>;

  beforeAll(async () => {
    stack = await startStack({ iotJobs: IOT_JOBS, importExportJobs: IMPORT_EXPORT_JOBS });
  });
  afterAll(() => stack?.close());
  beforeEach(() => {
    consoleWatch = watchConsole();
  });
  afterEach(() => consoleWatch.restore());

  const documents: Record<
    Field,
    TypedDocumentNode<Record<string, unknown>, Record<string, unknown>>
  > = {
    jobs: JobsPage as never,
    iotJobs: IotJobsPage as never,
    importExportJobs: ImportExportJobsPage as never,
  };

  describe('Apollo Client 4', () => {
    const WINDOW = ['createdAfter', 'createdBefore'];
    // As the README says: possibleTypes from codegen, relayStylePagination per connection.
    const createClient = (
      fetchImpl: typeof fetch,
      possibleTypes: Record<string, string[]> = introspection.possibleTypes,
    ) =>
      new ApolloClient({
        link: new HttpLink({ uri: stack.url, fetch: fetchImpl }),
        cache: new InMemoryCache({
          possibleTypes,
          typePolicies: {
            Query: {
              fields: {
                // Every argument but first/after: another filter or window is another list.
                jobs: relayStylePagination(['sources', 'iot', 'regions', ...WINDOW]),
                iotJobs: relayStylePagination(['filter', 'regions', ...WINDOW]),
                importExportJobs: relayStylePagination(WINDOW),
              },
            },
          },
        }),
      });

    async function walk(client: ApolloClient, field: Field) {
      const observable = client.watchQuery({
        query: documents[field] as DocumentNode,
        variables: { first: PAGE },
      });
      // What a component sees: the results the query emits (fetchMore resolves with the new page
      // alone; the merged list follows as the next result).
      const emitted = (atLeast: number) =>
        firstValueFrom(
          observable.pipe(
            map((result) => (result.data as Record<Field, Connection> | undefined)?.[field]),
            filter((c): c is Connection => c !== undefined && c.edges.length >= atLeast),
          ),
        );
      let connection = await emitted(1);
      let pages = 1;
      while (connection.pageInfo.hasNextPage) {
        const before = connection.edges.length;
        await observable.fetchMore({ variables: { after: connection.pageInfo.endCursor } });
        connection = await emitted(before + 1);
        pages++;
      }
      return { nodes: connection.edges.map((e) => e.node), pages };
    }

    it.each(FIELDS)('pages through %s with fetchMore', async (field) => {
      const wire = recordingFetch();
      const { nodes, pages } = await walk(createClient(wire.fetch), field);
      expectComplete(field, nodes);
      expect(pages).toBe(Math.ceil(EXPECTED[field] / PAGE));
      expect(new Set(wire.ids()).size).toBe(wire.ids().length);
      expect(consoleWatch.said()).toEqual([]);
    });

    it('needs possibleTypes: without it, the fields of `... on Job` are dropped', async () => {
      const wire = recordingFetch();
      const client = createClient(wire.fetch, {});
      const { data } = await client.query({ query: JobsPage, variables: { first: 3 } });
      const node = data?.jobs.edges[0]?.node as Partial<JobNode> | undefined;
      expect(node?.jobId).toBeUndefined();
    });
  });

  describe('urql 6', () => {
    async function walk(client: Client, field: Field) {
      let after: string | null | undefined = null;
      let pages = 0;
      let connection: Connection;
      const seen: JobNode[] = [];
      do {
        const result = await client.query(documents[field], { first: PAGE, after }).toPromise();
        expect(result.error).toBeUndefined();
        connection = result.data?.[field] as Connection;
        seen.push(...connection.edges.map((e) => e.node));
        after = connection.pageInfo.endCursor;
        pages++;
      } while (connection.pageInfo.hasNextPage);
      return { last: connection, seen, pages };
    }

    it.each(FIELDS)('pages through %s with its default exchanges, over GET', async (field) => {
      const wire = recordingFetch();
      // As the README says: urql's default exchanges and GET for queries (preferGetMethod), with
      // the CSRF header a GET from outside a browser needs.
      const client = new Client({
        url: stack.url,
        exchanges: [documentCache, fetchExchange],
        fetch: wire.fetch,
        fetchOptions: { headers: { 'x-graphql-yoga-csrf': 'urql' } },
      });
      const { seen, pages } = await walk(client, field);
      expectComplete(field, seen);
      expect(pages).toBe(Math.ceil(EXPECTED[field] / PAGE));
      expect(new Set(wire.methods)).toEqual(new Set(['GET']));
      expect(consoleWatch.said()).toEqual([]);
    });

    it('without the CSRF header, a GET from outside a browser is refused with a coded error; POST needs none', async () => {
      const get = new Client({ url: stack.url, exchanges: [documentCache, fetchExchange] });
      const refused = await get.query(JobsPage, { first: 1 }).toPromise();
      expect(refused.data).toBeUndefined();
      expect(refused.error?.graphQLErrors[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(refused.error?.graphQLErrors[0]?.message).toMatch(/x-graphql-yoga-csrf/);
      const post = new Client({
        url: stack.url,
        exchanges: [documentCache, fetchExchange],
        preferGetMethod: false,
      });
      const served = await post.query(JobsPage, { first: 1 }).toPromise();
      expect(served.error).toBeUndefined();
      expect(served.data?.jobs.edges).toHaveLength(1);
    });

    // As the README says: the schema from codegen, relayPagination per connection, and the
    // types that have no id embedded in their parent.
    const createGraphcacheClient = (fetchImpl: typeof fetch, url = stack.url) =>
      new Client({
        url,
        fetch: fetchImpl,
        fetchOptions: { headers: { 'x-graphql-yoga-csrf': 'urql' } },
        exchanges: [
          graphcache({
            schema: urqlSchema,
            keys: Object.fromEntries(GRAPHCACHE_EMBEDDED.map((type) => [type, () => null])),
            resolvers: {
              Query: {
                jobs: relayPagination(),
                iotJobs: relayPagination(),
                importExportJobs: relayPagination(),
              },
            },
          }),
          fetchExchange,
        ],
      });

    it.each(FIELDS)('pages through %s with graphcache and relayPagination', async (field) => {
      const wire = recordingFetch();
      const { last, pages } = await walk(createGraphcacheClient(wire.fetch), field);
      // relayPagination hands every page the whole list read so far.
      expectComplete(
        field,
        last.edges.map((e) => e.node),
      );
      expect(pages).toBe(Math.ceil(EXPECTED[field] / PAGE));
      expect(wire.ids()).toHaveLength(EXPECTED[field]);
      expect(new Set(wire.ids()).size).toBe(EXPECTED[field]);
      expect(consoleWatch.said()).toEqual([]);
    });

    it("answers the README's LastDay query with a source down: data, the source listed in unavailable, no warning", async () => {
      const regional = await startStack({
        iotJobs: 40,
        importExportJobs: 20,
        iotRegions: ['us-east-1', 'eu-west-1'],
      });
      try {
        regional.simulators.importExport?.faults.set({ errorRate: 1 });
        const wire = recordingFetch();
        const client = createGraphcacheClient(wire.fetch, regional.url);
        const result = await client
          .query(readmeOperation('LastDay'), { since: '2000-01-01T00:00:00Z' })
          .toPromise();
        const jobs = result.data?.jobs as Connection & {
          unavailable: { source: string; region: string | null; code: string }[];
        };
        expect(jobs.edges).toHaveLength(50);
        for (const { node } of jobs.edges) expect(node.source).toBe('IOT');
        expect(jobs.pageInfo.hasNextPage).toBe(true);
        expect(jobs.unavailable).toEqual([
          {
            source: 'IMPORT_EXPORT',
            region: null,
            code: 'UPSTREAM_UNAVAILABLE',
          },
        ]);
        expect(result.error?.graphQLErrors.map((e) => e.extensions?.code)).toEqual([
          'UPSTREAM_UNAVAILABLE',
        ]);
        expect(consoleWatch.said()).toEqual([]);
      } finally {
        await regional.close();
      }
    });
  });

  describe('Relay (relay-runtime, artifacts from relay-compiler)', () => {
    const relay: Record<
      Field,
      { query: GraphQLTaggedNode; pagination: GraphQLTaggedNode; fragment: ReaderFragment }
    > = {
      jobs: { query: jobsAllQuery, pagination: jobsAllPaginationQuery, fragment: jobsAllFragment },
      iotJobs: {
        query: jobsIotQuery,
        pagination: jobsIotPaginationQuery,
        fragment: jobsIotFragment,
      },
      importExportJobs: {
        query: jobsImportExportQuery,
        pagination: jobsImportExportPaginationQuery,
        fragment: jobsImportExportFragment,
      },
    };

    it('has artifacts that are current with the schema and the sources', async () => {
      await promisify(execFile)('node_modules/.bin/relay-compiler', ['--validate'], {
        cwd: new URL('..', import.meta.url),
      });
    });

    // As the README says: a network layer that POSTs the operation text, and the default store.
    const createEnvironment = (fetchImpl: typeof fetch) =>
      new Environment({
        network: Network.create(async (operation, variables) => {
          const response = await fetchImpl(stack.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: operation.text, variables }),
          });
          return response.json();
        }),
        store: new Store(new RecordSource()),
      });

    it.each(FIELDS)(
      'pages through %s as usePaginationFragment does: refetch query, @connection merge',
      async (field) => {
        const wire = recordingFetch();
        const environment = createEnvironment(wire.fetch);
        const { query, pagination, fragment } = relay[field];
        const operation = createOperationDescriptor(query as never, { first: PAGE });
        const retained = [environment.retain(operation)];
        await fetchQuery(environment, query, { first: PAGE }).toPromise();
        const root = environment.lookup(operation.fragment).data;
        const selector = getSelector(fragment, root) as SingularReaderSelector;
        const read = () => environment.lookup(selector).data?.[field] as Connection;
        let pages = 1;
        while (read().pageInfo.hasNextPage) {
          const variables = { first: PAGE, after: read().pageInfo.endCursor };
          retained.push(
            environment.retain(createOperationDescriptor(pagination as never, variables)),
          );
          await fetchQuery(environment, pagination, variables).toPromise();
          pages++;
        }
        expectComplete(
          field,
          read().edges.map((e) => e.node),
        );
        expect(pages).toBe(Math.ceil(EXPECTED[field] / PAGE));
        // Relay drops a node it already holds; the wire shows there was none to drop.
        expect(wire.ids()).toHaveLength(EXPECTED[field]);
        expect(new Set(wire.ids()).size).toBe(EXPECTED[field]);
        for (const r of retained) r.dispose();
        expect(consoleWatch.said()).toEqual([]);
      },
    );
  });

  describe('plain fetch', () => {
    it.each(FIELDS)('pages through %s with the README loop', async (field) => {
      const query = {
        jobs: 'query Page($after: String) { jobs(first: 40, after: $after) { edges { node { id jobId source createdAt isCanceled __typename } } pageInfo { hasNextPage endCursor } } }',
        iotJobs:
          'query Page($after: String) { iotJobs(first: 40, after: $after) { edges { node { id jobId source createdAt isCanceled __typename } } pageInfo { hasNextPage endCursor } } }',
        importExportJobs:
          'query Page($after: String) { importExportJobs(first: 40, after: $after) { edges { node { id jobId source createdAt isCanceled __typename } } pageInfo { hasNextPage endCursor } } }',
      }[field];
      const nodes: JobNode[] = [];
      let after: string | null = null;
      for (;;) {
        const response = await fetch(stack.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query, variables: { after } }),
        });
        const { data, errors } = (await response.json()) as {
          data: Record<Field, Connection>;
          errors?: unknown;
        };
        expect(errors).toBeUndefined();
        nodes.push(...data[field].edges.map((e) => e.node));
        if (!data[field].pageInfo.hasNextPage) break;
        after = data[field].pageInfo.endCursor ?? null;
      }
      expectComplete(field, nodes);
    });
  });
});
