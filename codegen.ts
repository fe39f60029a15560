import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents from the committed SDL: operations written with `graphql(...)` in the tests (or
 * in a frontend pointed at schema/schema.graphql) get their result and variable types.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['test/**/*.ts', '!test/gql/**'],
  ignoreNoDocuments: true,
  generates: {
    'test/gql/': {
      preset: 'client',
      config: {
        documentMode: 'string',
        scalars: { DateTime: 'string' },
        enumsAsTypes: true,
        useTypeImports: true,
        emitLegacyCommonJSImports: false,
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
