import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import DirectivesPlugin from '@pothos/plugin-directives';
// Types only: the federation plugin (and the heavy @apollo/subgraph it loads) is imported when the
// subgraph schema is first built, not at start-up. See loadFederationPlugin.
import type {} from '@pothos/plugin-federation';
import RelayPlugin from '@pothos/plugin-relay';
import { complexityFromQuery } from '@pothos/plugin-complexity';
import { type DocumentNode, GraphQLError, type GraphQLSchema, Kind } from 'graphql';
import type { GraphContext } from '../context.js';
import { badUserInput } from '../errors.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination/connections.js';
import { decodeNodeId, encodeNodeId } from './node-id.js';

export interface SchemaTypes {
  Context: GraphContext;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
  };
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}

/**
 * `api` is the schema frontends and GraphiQL see, with Relay's `node`/`nodes`. `subgraph` is the
 * Federation v2 variant: no `node`/`nodes` (two subgraphs cannot both own them) and a shareable
 * `PageInfo` (every Relay subgraph defines one).
 */
export type SchemaVariant = 'api' | 'subgraph';

/**
 * The cost of a field that makes an upstream call per item (`details`, `status`): the same as any
 * field. The cost measures the answer; the calls are what the upstream-call budget counts
 * (MAX_UPSTREAM_CALLS, see budget.ts), so that each limit tells of one thing.
 */
export const UPSTREAM_CALL_COMPLEXITY = 1;
/** `nodes(ids:)` takes no more ids than a page holds jobs. */
export const MAX_NODES = MAX_PAGE_SIZE;

export function createBuilder(variant: SchemaVariant) {
  const federated = variant === 'subgraph';
  return new SchemaBuilder<SchemaTypes>({
    // Federation wraps resolvers, so it goes last.
    plugins: federated
      ? [RelayPlugin, ComplexityPlugin, DataloaderPlugin, DirectivesPlugin, FEDERATION_PLUGIN]
      : [RelayPlugin, ComplexityPlugin, DataloaderPlugin, DirectivesPlugin],
    // Cost counts the answer: every field once per item it is asked of, a connection multiplying
    // what it holds by its page size. Lists are bounded by their connection, so they do not
    // multiply again. Upstream calls have a limit of their own (budget.ts).
    complexity: {
      defaultComplexity: 1,
      defaultListMultiplier: 1,
      // An operation found within the limit before execution (see withinCostLimit) is not
      // measured again by each of its root fields.
      limit: (context) => (context.costChecked ? {} : { complexity: context.maxComplexity }),
      complexityError: (_kind, result) =>
        new GraphQLError(
          `The operation costs ${result.complexity}, more than the limit of ${result.maxComplexity}. Ask for fewer or smaller pages.`,
          {
            extensions: {
              code: 'OPERATION_TOO_COMPLEX',
              cost: result.complexity,
              maxCost: result.maxComplexity,
            },
          },
        ),
    },
    relay: {
      clientMutationId: 'omit',
      cursorType: 'String',
      encodeGlobalID: encodeNodeId,
      decodeGlobalID: decodeNodeId,
      nodeQueryOptions: federated ? false : {},
      nodesQueryOptions: federated
        ? false
        : {
            // Every id is an item of the answer, and the ids are bounded like a page.
            complexity: (args) => ({ field: 1, multiplier: args.ids.length }),
            resolve: (_root, args, _context, _info, resolveNodes) => {
              if (args.ids.length > MAX_NODES) {
                throw badUserInput(`"ids" may hold at most ${MAX_NODES} ids.`, {
                  argumentName: 'ids',
                });
              }
              return resolveNodes(args.ids);
            },
          },
      pageInfoTypeOptions: federated ? { shareable: true } : {},
      edgesFieldOptions: { nullable: false, complexity: { field: 0, multiplier: 1 } },
      nodeFieldOptions: { nullable: false },
    },
  });
}

export type Builder = ReturnType<typeof createBuilder>;

const FEDERATION_PLUGIN = 'federation';

/**
 * Registers the federation plugin. It pulls in @apollo/subgraph and its federation internals,
 * about a second of start-up on a small machine, so only the subgraph variant pays for it.
 */
export async function loadFederationPlugin(): Promise<void> {
  const { default: name } = await import('@pothos/plugin-federation');
  if (name !== FEDERATION_PLUGIN) throw new Error(`unexpected federation plugin name ${name}`);
}

/** Cost of a connection field: itself, and its items times the page size. */
export function connectionComplexity(args: { first?: number | null | undefined }) {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  // An invalid size is refused by the resolver with BAD_USER_INPUT; count it as the largest
  // valid one here so that the cost check does not answer first with a less useful error.
  return {
    field: 1,
    multiplier:
      Number.isInteger(first) && first > 0 ? Math.min(first, MAX_PAGE_SIZE) : MAX_PAGE_SIZE,
  };
}

/**
 * Whether an operation costs no more than `max`, measured as the complexity plugin measures it at
 * run time. False also when it cannot tell here (several operations in the document, variables
 * that do not coerce): the root fields then measure it as usual and refuse it with the coded
 * error. The cost functions of this schema read their arguments only, never the context, so
 * the answer holds for every request that sends the same operation and variables.
 */
export function withinCostLimit(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
  max: number,
): boolean {
  let operations = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) operations++;
  }
  if (operations !== 1) return false;
  try {
    return complexityFromQuery(document, { schema, variables: variables ?? {} }).complexity <= max;
  } catch {
    return false;
  }
}
