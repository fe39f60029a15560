import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import RelayPlugin from '@pothos/plugin-relay';
import type { GraphContext } from '../context.js';
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

export function createBuilder(variant: SchemaVariant) {
  const federated = variant === 'subgraph';
  return new SchemaBuilder<SchemaTypes>({
    // Federation wraps resolvers, so it goes last.
    plugins: federated
      ? [RelayPlugin, DataloaderPlugin, DirectivesPlugin, FederationPlugin]
      : [RelayPlugin, DataloaderPlugin, DirectivesPlugin],
    relay: {
      clientMutationId: 'omit',
      cursorType: 'String',
      encodeGlobalID: encodeNodeId,
      decodeGlobalID: decodeNodeId,
      nodeQueryOptions: federated ? false : {},
      nodesQueryOptions: federated ? false : {},
      pageInfoTypeOptions: federated ? { shareable: true } : {},
      edgesFieldOptions: { nullable: false },
      nodeFieldOptions: { nullable: false },
    },
  });
}

export type Builder = ReturnType<typeof createBuilder>;
