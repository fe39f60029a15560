import type { GraphQLSchema } from 'graphql';
import { createBuilder, type SchemaVariant } from './builder.js';
import { defineImportExportJob } from './import-export-job.js';
import { defineIotJob } from './iot-job.js';
import { defineJob, defineJobsQuery } from './job.js';
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
