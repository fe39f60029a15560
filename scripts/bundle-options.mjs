// The options every bundle of the gateway's code is built with (scripts/build.mjs, and the
// benchmark's in-memory gateway), so that what is measured is built the way it ships.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// graphql 16 ships an ES module build (*.mjs) beside its CommonJS one and has no "exports" map.
// Every import of it, deep ones too ('graphql/language/parser', as some packages write), must
// land on the same build: two copies would mean two GraphQLError classes, and yoga would mask
// the errors of the other copy as unexpected. The ES module build is the fast one (no interop
// getters on the hottest path of execution).
const graphqlDir = dirname(createRequire(import.meta.url).resolve('graphql/package.json'));
const oneGraphql = {
  name: 'one-graphql',
  setup(builder) {
    builder.onResolve({ filter: /^graphql(\/.*)?$/ }, (args) => {
      const sub = args.path === 'graphql' ? 'index' : args.path.slice('graphql/'.length);
      const base = join(graphqlDir, sub.replace(/\.m?js$/, ''));
      const path = existsSync(`${base}.mjs`) ? `${base}.mjs` : join(base, 'index.mjs');
      return { path };
    });
  },
};

const lazy = [
  '@graphql-yoga/render-graphiql',
  '@opentelemetry/sdk-trace-node',
  '@opentelemetry/sdk-trace-base',
  '@opentelemetry/exporter-trace-otlp-http',
  '@opentelemetry/resources',
];

/** The esbuild options of every bundle: the gateway's, and any program built around its code. */
export function bundleOptions(entryPoints, outdir) {
  return {
    entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    external: lazy,
    plugins: [oneGraphql],
    logLevel: 'warning',
    // Bundled CommonJS packages call require() for Node built-ins; an ES module has none.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  };
}
