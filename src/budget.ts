import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  GraphQLIncludeDirective,
  type GraphQLObjectType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  isAbstractType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GraphContext } from './context.js';
import { badUserInput } from './errors.js';
import { createOperationMemo } from './operation-memo.js';
import { withinCostLimit } from './schema/builder.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination/connections.js';
import { decodeNodeId } from './schema/node-id.js';
import { NODE_TYPE_OF_SOURCE, type NodeType } from './sources/node-key.js';
import type { SourceRegistry } from './sources/registry.js';
import { stableJson } from './stable-json.js';
import type { SourceName } from './upstreams/types.js';

/**
 * The upstream-call budget of a request. An operation is priced before it runs, from its document
 * and variables: what it may cost must fit in `MAX_UPSTREAM_CALLS`, or it is refused with
 * `OPERATION_TOO_COMPLEX` before any call. While it runs, every call is counted at the one place
 * all upstream calls of a request pass through (see context.ts); a call past the budget is refused
 * with `UPSTREAM_CALL_BUDGET_EXCEEDED`, which nulls only the fields that needed it. The estimate is
 * an upper bound of what a well-behaved upstream costs; the run-time count covers the rest (pages
 * that come back short or empty and make a read chain more calls).
 */

/** A page costs at most this many list calls per source (the second when the first ran short). */
export const LIST_CALLS_PER_PAGE = 2;
/** `nodes(ids:)` and `_entities(representations:)` take no more than a page holds. */
export const MAX_REFETCH = MAX_PAGE_SIZE;

type ItemType = NodeType;

/**
 * Fields of a job that cost one call per job. A listed job (from a connection) has its summary
 * and pays for `details` / `status`; a refetched job (node, nodes, _entities) was loaded by that
 * very call, and pays only for the thing group that DescribeJob names but does not identify.
 */
const PER_ITEM: Record<ItemType, { listed: readonly string[]; refetched: readonly string[] }> = {
  IotJob: { listed: ['details'], refetched: ['thingGroupId'] },
  ImportExportJob: { listed: ['status'], refetched: [] },
};

export interface Estimate {
  /** Upstream calls the operation may make. */
  readonly calls: number;
  /** A list argument longer than it may be, refused before execution. */
  readonly tooLong?: { readonly field: string; readonly argument: string } | undefined;
}

type Variables = Record<string, unknown>;

interface Walk {
  readonly schema: GraphQLSchema;
  readonly fragments: Record<string, FragmentDefinitionNode>;
  readonly variables: Variables;
}

/**
 * What an operation may cost upstream, read from its document and variables. Aliases that ask
 * for the same field with the same arguments count once (the page memo and the loaders share
 * their calls); `@skip` and `@include` are honoured. A document or variables that do not
 * validate cost nothing: execution refuses them before any call.
 */
export function estimateUpstreamCalls(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  rawVariables: Variables | null | undefined,
  registry?: Pick<SourceRegistry, 'select'>,
): Estimate {
  const operation = getOperationAST(document, operationName);
  const query = schema.getQueryType();
  if (!operation || operation.operation !== 'query' || !query) return { calls: 0 };
  const coerced = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    rawVariables ?? {},
  );
  if (coerced.errors) return { calls: 0 };
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const walk: Walk = { schema, fragments, variables: coerced.coerced };

  // One entry per distinct field and arguments: aliases of the same page share its calls.
  const roots = new Map<string, { node: FieldNode; args: Record<string, unknown> }>();
  const selections = new Map<string, SelectionSetNode[]>();
  for (const node of collectFields(walk, operation.selectionSet, query.name)) {
    const field = query.getFields()[node.name.value];
    if (!field) continue;
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(field, node, walk.variables);
    } catch {
      continue; // refused by execution before any call
    }
    const key = `${node.name.value}:${stableJson(args)}`;
    if (!roots.has(key)) roots.set(key, { node, args });
    if (node.selectionSet) selections.set(key, [...(selections.get(key) ?? []), node.selectionSet]);
  }

  let calls = 0;
  for (const [key, { node, args }] of roots) {
    const sets = selections.get(key) ?? [];
    switch (node.name.value) {
      case 'jobs':
      case 'iotJobs':
      case 'importExportJobs': {
        const sources =
          node.name.value === 'jobs'
            ? jobSources(args.sources)
            : [node.name.value === 'iotJobs' ? ('IOT' as const) : ('IMPORT_EXPORT' as const)];
        const size = pageSize(args.first);
        // A page size out of range, or no source, is refused by the resolver before any call.
        if (size === 0 || sources.length === 0) break;
        const connection = getNamedType(query.getFields()[node.name.value]?.type);
        const items = isObjectType(connection) ? listedItems(walk, sets, connection) : [];
        // Each source read is one per IoT region selected (and one for Import/Export).
        const reads = registry
          ? registry.select({ sources, regions: regionList(args.regions) }).length
          : sources.length;
        calls += LIST_CALLS_PER_PAGE * reads + size * perItem(walk, items, sources);
        break;
      }
      case 'node':
        calls += refetch(walk, sets, [args.id]);
        break;
      case 'nodes':
        calls += refetch(walk, sets, Array.isArray(args.ids) ? args.ids : []);
        break;
      case '_entities': {
        const representations = Array.isArray(args.representations) ? args.representations : [];
        if (representations.length > MAX_REFETCH) {
          return { calls, tooLong: { field: '_entities', argument: 'representations' } };
        }
        calls += refetch(walk, sets, representations.map(entityId));
        break;
      }
      default:
        break; // __typename, _service: no upstream call
    }
  }
  return { calls };
}

/** Fields of a selection that apply to `typeName`, through fragments, skip and include. */
function collectFields(walk: Walk, set: SelectionSetNode, typeName: string): FieldNode[] {
  const fields: FieldNode[] = [];
  const visit = (selectionSet: SelectionSetNode, seen: ReadonlySet<string>) => {
    for (const selection of selectionSet.selections) {
      if (!included(walk, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        fields.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(walk, selection.typeCondition?.name.value, typeName)) {
          visit(selection.selectionSet, seen);
        }
      } else {
        const name = selection.name.value;
        const fragment = walk.fragments[name];
        if (!fragment || seen.has(name)) continue;
        if (applies(walk, fragment.typeCondition.name.value, typeName)) {
          visit(fragment.selectionSet, new Set([...seen, name]));
        }
      }
    }
  };
  visit(set, new Set());
  return fields;
}

function included(walk: Walk, node: Parameters<typeof getDirectiveValues>[1]): boolean {
  if (!node.directives?.length) return true;
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, walk.variables)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, walk.variables)?.if !== false;
  } catch {
    return true;
  }
}

function applies(walk: Walk, condition: string | undefined, typeName: string): boolean {
  if (condition === undefined || condition === typeName) return true;
  const conditionType = walk.schema.getType(condition);
  const type = walk.schema.getType(typeName);
  return (
    !!conditionType &&
    !!type &&
    isAbstractType(conditionType) &&
    walk.schema.isSubType(conditionType, type as GraphQLObjectType)
  );
}

/** The selection sets that apply to each item of a connection: `edges { node }` and `nodes`. */
function listedItems(
  walk: Walk,
  sets: readonly SelectionSetNode[],
  connection: GraphQLObjectType,
): SelectionSetNode[] {
  const items: SelectionSetNode[] = [];
  const edge = getNamedType(connection.getFields().edges?.type);
  for (const set of sets) {
    for (const field of collectFields(walk, set, connection.name)) {
      if (!field.selectionSet) continue;
      if (field.name.value === 'nodes') items.push(field.selectionSet);
      if (field.name.value !== 'edges' || !edge) continue;
      for (const edgeField of collectFields(walk, field.selectionSet, edge.name)) {
        if (edgeField.name.value === 'node' && edgeField.selectionSet) {
          items.push(edgeField.selectionSet);
        }
      }
    }
  }
  return items;
}

/** Calls per item: the most any of the possible item types makes. */
function perItem(
  walk: Walk,
  items: readonly SelectionSetNode[],
  sources: readonly SourceName[],
): number {
  let most = 0;
  for (const source of sources) {
    most = Math.max(most, itemCalls(walk, items, NODE_TYPE_OF_SOURCE[source], 'listed'));
  }
  return most;
}

function itemCalls(
  walk: Walk,
  items: readonly SelectionSetNode[],
  type: ItemType,
  kind: 'listed' | 'refetched',
): number {
  const paying = new Set<string>();
  for (const set of items) {
    for (const field of collectFields(walk, set, type)) {
      if (PER_ITEM[type][kind].includes(field.name.value)) paying.add(field.name.value);
    }
  }
  return paying.size;
}

/** Each id that names a job costs the call that loads it, plus what its selection adds. */
function refetch(walk: Walk, sets: readonly SelectionSetNode[], ids: readonly unknown[]): number {
  let calls = 0;
  for (const id of ids) {
    const type = nodeType(id);
    if (type) calls += 1 + itemCalls(walk, sets, type, 'refetched');
  }
  return calls;
}

function nodeType(id: unknown): ItemType | undefined {
  if (typeof id !== 'string') return undefined;
  try {
    return decodeNodeId(id).typename as ItemType;
  } catch {
    return undefined;
  }
}

/** An entity representation is `{ __typename, id }`; its id says which job it is. */
function entityId(representation: unknown): unknown {
  if (typeof representation !== 'object' || representation === null) return undefined;
  const { __typename, id } = representation as { __typename?: unknown; id?: unknown };
  return nodeType(id) === __typename ? id : undefined;
}

/** The page size asked for; 0 when it is out of range. */
function pageSize(first: unknown): number {
  if (first === undefined || first === null) return DEFAULT_PAGE_SIZE;
  return Number.isInteger(first) && (first as number) >= 1 && (first as number) <= MAX_PAGE_SIZE
    ? (first as number)
    : 0;
}

function jobSources(sources: unknown): SourceName[] {
  if (sources === undefined || sources === null) return ['IOT', 'IMPORT_EXPORT'];
  if (!Array.isArray(sources)) return [];
  return (['IOT', 'IMPORT_EXPORT'] as const).filter((s) => sources.includes(s));
}

function regionList(regions: unknown): readonly string[] | undefined {
  return Array.isArray(regions)
    ? regions.filter((r): r is string => typeof r === 'string')
    : undefined;
}

/**
 * Prices every operation before it runs and refuses what its request cannot afford, or what asks
 * for more `_entities` than a page holds, before the first upstream call. The price of an
 * operation and variables, and whether it is within the cost limit, are worked out once and kept
 * (see operation-memo.ts): both depend on nothing else.
 */
export function useUpstreamBudget(): Plugin<GraphContext> {
  const prices = createOperationMemo<Estimate & { readonly withinCost: boolean }>();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue as GraphContext;
      const variables = args.variableValues as Variables | undefined;
      const estimate = prices.get(args.document, args.operationName, variables, () => ({
        ...estimateUpstreamCalls(
          args.schema,
          args.document,
          args.operationName,
          variables,
          context.sources,
        ),
        withinCost: withinCostLimit(args.schema, args.document, variables, context.maxComplexity),
      }));
      context.costChecked = estimate.withinCost;
      if (estimate.tooLong) {
        setResultAndStopExecution({
          errors: [
            badUserInput(`"${estimate.tooLong.argument}" may hold at most ${MAX_REFETCH} items.`, {
              argumentName: estimate.tooLong.argument,
            }),
          ],
        });
        return;
      }
      const { budget } = context;
      if (!budget.reserve(estimate.calls)) {
        setResultAndStopExecution({
          errors: [
            new GraphQLError(
              `The operation may make ${estimate.calls} upstream calls, more than the ${budget.max} a request may make. Ask for fewer or smaller pages, or fewer details.`,
              {
                extensions: {
                  code: 'OPERATION_TOO_COMPLEX',
                  upstreamCalls: estimate.calls,
                  maxUpstreamCalls: budget.max,
                },
              },
            ),
          ],
        });
        return;
      }
      context.calls.estimate = estimate.calls;
    },
  };
}
