import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents from the committed SDL: operations written with `graphql(...)` in the tests (or
 * in a frontend pointed at schema/schema.graphql) become TypedDocumentNodes, which Apollo Client
 * and urql take as they are. `possible-types.ts` lists the types behind each interface (`Job`,
 * `Node`): Apollo Client's InMemoryCache needs it to match `... on Job`; urql's graphcache takes the
 * (minified) schema itself from `urql-schema.ts`.
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
      // persisted-documents.json: the trusted documents, by SHA-256, as a frontend's build would
      // write them for PERSISTED_DOCUMENTS_MANIFEST.
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
    },
    // The schema as urql's graphcache takes it: with it, graphcache matches fragments on
    // interfaces exactly and writes nothing for the fields of the other job type.
    'test/gql/urql-schema.ts': {
      plugins: ['urql-introspection'],
      config: { module: 'es2015', useTypeImports: true },
    },
    'test/gql/possible-types.ts': {
      plugins: ['fragment-matcher'],
      config: { apolloClientVersion: 3, useExplicitTyping: true },
    },
  },
};

export default config;
