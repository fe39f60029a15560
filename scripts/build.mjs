// Bundles the gateway and the standalone simulators into dist/. One file per entry point starts
// several times faster than hundreds of ES modules resolved one by one (cold start is measured
// by the benchmark). Two kinds of package stay outside, loaded from node_modules on first use:
// the offline GraphiQL page (a 9 MB string), and the OpenTelemetry SDK, which finds the bundled
// API through its global registration. Anything that must share classes with the bundle
// (graphql, Pothos plugins, yoga plugins) is bundled, even when it is imported lazily.
import { existsSync } from 'node:fs';

// `npm start` builds first (prestart), so that `npm ci && npm start` works on a fresh clone. An
// install with production dependencies only (`npm ci --omit=dev`) has no esbuild: there, with
// --unless-production-install, the build made earlier is used as it is. Where this script is not
// there at all (the Docker image holds package.json, the lock file and dist/ only), prestart skips
// it; a failing build in a checkout still stops `npm start`.
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

const { bundleOptions } = await import('./bundle-options.mjs');
await build(
  bundleOptions({ main: 'src/main.ts', 'simulators/main': 'src/simulators/main.ts' }, 'dist'),
);
