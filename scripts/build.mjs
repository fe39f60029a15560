// Bundles the gateway and the standalone simulators into dist/. One file per entry point starts
// several times faster than hundreds of ES modules resolved one by one (cold start is measured
// by the benchmark). Two kinds of package stay outside, loaded from node_modules on first use:
// the offline GraphiQL page (a 9 MB string), and the OpenTelemetry SDK, which finds the bundled
// API through its global registration. Anything that must share classes with the bundle
// (graphql, Pothos plugins, yoga plugins) is bundled, even when it is imported lazily.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// `npm start` builds first (prestart), so that `npm ci && npm start` works on a fresh clone. An
// install with production dependencies only (`npm ci --omit=dev`) has no esbuild: there, with
// --unless-production-install, the build made earlier is used as it is.
let build;
try {
  ({ build } = await import('esbuild'));
} catch (error) {
  if (
    error?.code !== 'ERR_MODULE_NOT_FOUND' ||
    !process.argv.includes('--unless-production-install')
  ) {
    throw error;
  }
  if (!existsSync('dist/main.js')) {
    console.error(
      'jobs-gateway: dist/ is missing and esbuild is not installed (a production install). ' +
        'Run `npm run build` where the dev dependencies are installed, then copy dist/.',
    );
    process.exit(1);
  }
  process.exit(0);
}

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

await build({
  entryPoints: { main: 'src/main.ts', 'simulators/main': 'src/simulators/main.ts' },
  outdir: 'dist',
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
});
