import type { GraphQLSchema } from 'graphql';
import { createBuilder, loadFederationPlugin, type SchemaVariant } from './builder.js';
import { defineImportExportJob } from './import-export-job.js';
import { defineIotJob } from './iot-job.js';
import { defineJob, defineJobsQuery } from './job.js';
import { isolateEntityFailures, referencedId } from './entities.js';
import { defineScalars } from './scalars.js';

function define(variant: SchemaVariant) {
  const builder = createBuilder(variant);
  builder.queryType({});
  defineScalars(builder);
  const job = defineJob(builder);
  const iot = defineIotJob(builder, job);
  const importExport = defineImportExportJob(builder, job);
  defineJobsQuery(builder, job, iot);
  return { builder, iot, importExport };
}

/** The schema of the API: what frontends and GraphiQL see. */
export function buildApiSchema(): GraphQLSchema {
  return define('api').builder.toSchema({ sortSchema: true });
}

export const FEDERATION_LINK = 'https://specs.apollo.dev/federation/v2.6';

/**
 * The Federation v2 subgraph. Both job types are entities keyed by their global id, so another
 * subgraph can hold a reference (`{ id }`) and the router resolves it here through the same
 * per-request loaders that serve `node`.
 */
export async function buildSubgraphSchema(): Promise<GraphQLSchema> {
  await loadFederationPlugin();
  const { builder, iot, importExport } = define('subgraph');
  // Async, so that a bad representation rejects its own entry instead of throwing out of the batch.
  builder.asEntity(iot.IotJob, {
    key: builder.selection<{ id: string }>('id'),
    resolveReference: async (representation, context) =>
      iot.loadJob(referencedId(representation, 'IotJob'), context),
  });
  builder.asEntity(importExport.ImportExportJob, {
    key: builder.selection<{ id: string }>('id'),
    resolveReference: async (representation, context) =>
      importExport.loadJob(referencedId(representation, 'ImportExportJob'), context),
  });
  const schema = builder.toSubGraphSchema({
    linkUrl: FEDERATION_LINK,
    federationDirectives: ['@key', '@shareable'],
    sortSchema: true,
  });
  return isolateEntityFailures(schema, ['IotJob', 'ImportExportJob']);
}
