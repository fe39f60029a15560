import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';

/**
 * A real redis-server (Debian's package, installed by the test command when missing) on a free
 * loopback port, owned by one test file: it can be stopped and started again on the same port,
 * and frozen (SIGSTOP) as a hung Redis would be. Nothing is persisted.
 */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Starts it (again), on the same port, empty. */
  start(): Promise<void>;
  /** Stops it at once, as a crash would. */
  stop(): Promise<void>;
  /** Stops it from answering, connections left open. */
  freeze(): void;
  thaw(): void;
  /** Sends one command over a connection of its own and returns the raw reply. */
  command(...args: string[]): Promise<string>;
}

const running = new Set<ChildProcess>();

/** For afterAll: no redis-server outlives its test file. */
export function killRedisServers(): void {
  for (const child of running) {
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    const server = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'no',
        '--daemonize',
        'no',
        '--loglevel',
        'warning',
      ],
      { stdio: 'ignore' },
    );
    child = server;
    running.add(server);
    server.once('exit', () => running.delete(server));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`redis-server exited (${server.exitCode})`);
      try {
        if ((await command('PING')).startsWith('+PONG')) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('redis-server did not start within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  const stop = async () => {
    const process = child;
    child = undefined;
    if (!process || process.exitCode !== null) return;
    process.kill('SIGCONT');
    process.kill('SIGKILL');
    await once(process, 'exit');
  };

  /** RESP over a socket of its own, so that the test never depends on the client under test. */
  const command = (...args: string[]) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let reply = '';
      socket.setTimeout(2000, () => socket.destroy(new Error('redis-server did not answer')));
      socket.on('connect', () => {
        socket.write(
          `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`,
        );
      });
      socket.on('data', (chunk) => {
        reply += chunk.toString('utf8');
        if (reply.endsWith('\r\n')) {
          socket.end();
          resolve(reply);
        }
      });
      socket.on('error', reject);
    });

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    freeze: () => child?.kill('SIGSTOP'),
    thaw: () => child?.kill('SIGCONT'),
    command,
  };
}
