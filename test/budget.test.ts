import { type GraphQLSchema, parse } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { estimateUpstreamCalls } from '../src/budget.js';
import { buildApiSchema, buildSubgraphSchema } from '../src/schema/index.js';
import { encodeNodeId } from '../src/schema/node-id.js';
import { amplificationDocument } from './amplification.js';

// The static price of a document in upstream calls: what budget.ts refuses before any call. The
// end-to-end tests check it against the calls the simulators count; these pin the rules.

let api: GraphQLSchema;
let subgraph: GraphQLSchema;
beforeAll(async () => {
  api = buildApiSchema();
  subgraph = await buildSubgraphSchema();
});

const calls = (query: string, variables?: Record<string, unknown>, schema = api) =>
  estimateUpstreamCalls(schema, parse(query), undefined, variables).calls;

const iotId = (id: string) => encodeNodeId('IotJob', id);
const ieId = (id: string) => encodeNodeId('ImportExportJob', id);

describe('the upstream-call estimate', () => {
  it('prices a page: two list calls per source, one call per item for details or status', () => {
    expect(calls('{ jobs { edges { cursor } } }')).toBe(4);
    expect(calls('{ iotJobs(first: 100) { edges { node { jobId } } } }')).toBe(2);
    expect(
      calls(
        '{ jobs(first: 100) { edges { node { ... on IotJob { details { description } } ... on ImportExportJob { s: status { progressCode } } } } } }',
      ),
    ).toBe(104);
    // IotJob.status is a plain enum; ImportExportJob.status is GetStatus.
    expect(calls('{ iotJobs(first: 10) { edges { node { status } } } }')).toBe(2);
    expect(calls('{ importExportJobs(first: 10) { edges { node { status { carrier } } } } }')).toBe(
      12,
    );
    expect(
      calls(
        '{ jobs(first: 10, sources: [IOT]) { edges { node { ...on ImportExportJob { status { carrier } } } } } }',
      ),
    ).toBe(2);
  });

  it('follows fragments wherever they are, a fragment before the operation too', () => {
    const query = `
      fragment Item on Job { ... on IotJob { details { comment } } }
      query Page($n: Int) { iotJobs(first: $n) { edges { node { ...Item } } } }`;
    expect(calls(query, { n: 30 })).toBe(32);
  });

  it('counts aliases of the same page once, of different pages each', () => {
    const page = (alias: string, args: string) =>
      `${alias}: iotJobs(${args}) { edges { node { details { comment } } } }`;
    expect(calls(`{ ${page('a', 'first: 50')} ${page('b', 'first: 50')} }`)).toBe(52);
    expect(
      calls(
        `{ ${page('a', 'first: 50')} ${page('b', 'first: 50, filter: { status: CANCELED }')} }`,
      ),
    ).toBe(104);
  });

  it('honours @skip and @include', () => {
    const query =
      'query($skip: Boolean!) { iotJobs(first: 40) { edges { node { details @skip(if: $skip) { comment } } } } x: jobs @include(if: false) { edges { cursor } } }';
    expect(calls(query, { skip: true })).toBe(2);
    expect(calls(query, { skip: false })).toBe(42);
  });

  it('prices nothing that execution refuses before a call', () => {
    expect(calls('{ jobs(first: 500) { edges { cursor } } }')).toBe(0);
    expect(calls('{ jobs(sources: []) { edges { cursor } } }')).toBe(0);
    expect(calls('query($n: Int) { jobs(first: $n) { edges { cursor } } }', { n: 'ten' })).toBe(0);
    expect(calls('{ __typename }')).toBe(0);
  });

  it('prices refetches by id: one call each, the thing group of an IoT job one more', () => {
    const node = (id: string) =>
      calls(
        'query($id: ID!) { node(id: $id) { ... on IotJob { details { comment } thingGroupId } ... on ImportExportJob { status { carrier } } } }',
        { id },
      );
    expect(node(iotId('job-1'))).toBe(2);
    expect(node(ieId('JOB1'))).toBe(1);
    expect(node('not-an-id')).toBe(0);
    expect(
      calls('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
        ids: [iotId('a'), iotId('b'), ieId('C'), 'bad'],
      }),
    ).toBe(3);
  });

  it('prices _entities by representation, and refuses more than a page holds', () => {
    const query =
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on IotJob { thingGroupId } } }';
    const estimate = (r: unknown[]) =>
      estimateUpstreamCalls(subgraph, parse(query), undefined, { r });
    expect(estimate([{ __typename: 'IotJob', id: iotId('a') }]).calls).toBe(2);
    expect(estimate([{ __typename: 'ImportExportJob', id: ieId('B') }]).calls).toBe(1);
    expect(estimate([{ __typename: 'Nope', id: iotId('a') }]).calls).toBe(0);
    const many = Array.from({ length: 101 }, (_, i) => ({
      __typename: 'IotJob',
      id: iotId(`j${i}`),
    }));
    expect(estimate(many).tooLong).toEqual({ field: '_entities', argument: 'representations' });
  });

  it('prices the amplification document at its 1,326 calls', () => {
    const { query, variables } = amplificationDocument(['c1', 'c2', 'c3']);
    expect(calls(query, variables)).toBe(10 * 102 + 3 * 102);
  });
});
