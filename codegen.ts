import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents from the committed SDL: operations written with `graphql(...)` in the tests (or
 * in a frontend pointed at schema/schema.graphql) become TypedDocumentNodes, which Apollo Client
 * and urql take as they are. `possible-types.ts` lists the types behind each interface (`Job`,
 * `Node`): Apollo Client's InMemoryCache and urql's graphcache need it to match `... on Job`.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['test/**/*.ts', '!test/gql/**', '!test/relay/**'],
  ignoreNoDocuments: true,
  generates: {
    'test/gql/': {
      preset: 'client',
      config: {
        scalars: { DateTime: 'string' },
        enumsAsTypes: true,
        useTypeImports: true,
        emitLegacyCommonJSImports: false,
      },
      presetConfig: { fragmentMasking: false },
    },
    'test/gql/possible-types.ts': {
      plugins: ['fragment-matcher'],
      config: { apolloClientVersion: 3, useExplicitTyping: true },
    },
  },
};

export default config;
