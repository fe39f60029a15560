import { readdirSync, readFileSync, statSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './children.js';

/**
 * `npm run bench:profile -- PROFILE...`: a V8 CPU profile of the gateway (`.cpuprofile`, from
 * `node --cpu-prof`, `npm run bench -- --cpu-prof` or `node inspect`), read by package. The bundle
 * is one file, so each frame is traced back through dist/main.js.map to the source it came from:
 * a package under node_modules, a file of src/, or Node's own modules.
 *
 * Shares are of samples, not of sampled wall time: on a busy machine a sample taken after the
 * process waited for a core carries the wait, a count does not.
 *
 * - self: the frame that was running, natives and GC included where V8 names them;
 * - inclusive: every sample with the package anywhere on its stack (async work is counted where
 *   it resumed, so a package's inclusive share covers its synchronous callees only).
 */

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
}

const USAGE = `npm run bench:profile -- PROFILE_OR_DIR... [--map=dist/main.js.map] [--top=N]

Reads V8 CPU profiles (.cpuprofile) of the gateway and prints the share of samples by package
and by function: self (running) and inclusive (anywhere on the stack).
`;

function profilesIn(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path)) {
        if (name.endsWith('.cpuprofile')) files.push(join(path, name));
      }
    } else files.push(path);
  }
  return files;
}

interface Located {
  /** A package, a file of src/, a Node module, or a native category. */
  readonly owner: string;
  /** The source file and line of the frame; empty for natives. */
  readonly where: string;
}

function createLocator(map: SourceMap | undefined, bundle: string) {
  const cache = new Map<string, Located>();
  return (frame: CallFrame): Located => {
    const { url, lineNumber, columnNumber, functionName } = frame;
    const key = `${functionName}@${url}:${lineNumber}:${columnNumber}`;
    let found = cache.get(key);
    if (found) return found;
    let source = url;
    let line = lineNumber + 1;
    if (map && url.endsWith(bundle)) {
      const entry = map.findEntry(lineNumber, columnNumber) as {
        originalSource?: string;
        originalLine?: number;
      };
      source = entry.originalSource ?? url;
      line = (entry.originalLine ?? lineNumber) + 1;
    }
    let owner: string;
    if (url === '') owner = functionName.startsWith('(') ? functionName : '(native)';
    else if (source.startsWith('node:')) owner = `node:${source.slice(5).split('/')[0]}`;
    else {
      const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
      owner = modules
        ? (modules[1] as string)
        : /\/src\//.test(source)
          ? `src/${source.split('/src/').at(-1)}`
          : source;
    }
    const where = source.replace(/^.*node_modules\//, '').replace(/^.*\/src\//, 'src/');
    found = { owner, where: url === '' ? '' : `${where}:${line}` };
    cache.set(key, found);
    return found;
  };
}

function main(argv: readonly string[]): number {
  const flags = new Map<string, string>();
  const paths: string[] = [];
  for (const arg of argv) {
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      return 0;
    }
    const flag = /^--([a-z]+)=(.*)$/.exec(arg);
    if (flag) flags.set(flag[1] as string, flag[2] as string);
    else paths.push(arg);
  }
  if (paths.length === 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const top = Number(flags.get('top') ?? 30);
  const mapPath = resolve(flags.get('map') ?? join(REPO_ROOT, 'dist/main.js.map'));
  let map: SourceMap | undefined;
  try {
    map = new SourceMap(JSON.parse(readFileSync(mapPath, 'utf8')));
  } catch {
    process.stderr.write(`no source map at ${mapPath}: frames of the bundle are not traced\n`);
  }
  const locate = createLocator(
    map,
    mapPath
      .replace(/\.map$/, '')
      .split('/')
      .at(-1) ?? 'main.js',
  );
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const file of profilesIn(paths)) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const parents = new Map<number, number>();
    for (const node of profile.nodes) {
      for (const child of node.children ?? []) parents.set(child, node.id);
    }
    for (const id of profile.samples) {
      const node = nodes.get(id);
      if (!node || node.callFrame.functionName === '(idle)') continue;
      total++;
      const { owner, where } = locate(node.callFrame);
      self.set(owner, (self.get(owner) ?? 0) + 1);
      const name = `${owner}  ${node.callFrame.functionName || '(anonymous)'}  ${where}`;
      functions.set(name, (functions.get(name) ?? 0) + 1);
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
        const frame = nodes.get(at);
        if (frame && frame.callFrame.url !== '') seen.add(locate(frame.callFrame).owner);
      }
      seen.add(owner);
      for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + 1);
    }
  }
  const print = (title: string, counts: Map<string, number>, limit: number) => {
    process.stdout.write(`\n${title}\n`);
    for (const [key, count] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
      process.stdout.write(
        `${((100 * count) / total).toFixed(1).padStart(6)} %  ${String(count).padStart(7)}  ${key}\n`,
      );
    }
  };
  process.stdout.write(`${total} samples (idle excluded)\n`);
  print('self, by package', self, top);
  print('inclusive, by package', inclusive, top);
  print('self, by function', functions, top);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
