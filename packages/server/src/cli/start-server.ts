import type { Config } from '../config/config.js';
import { createApp, type LumioApp } from '../app/create-app.js';

/** Starts the HTTP server, prints the setup link on a fresh install, and shuts down gracefully on SIGTERM/SIGINT. */
export async function startServer(config: Readonly<Config>, options: { handleSignals?: boolean } = {}): Promise<LumioApp> {
  const lumio = await createApp({ config });
  const { app, services, deps } = lumio;
  // Before the setup token: setup then finds the demo workspace and makes its owner the demo's owner too.
  const demo = config.demo ? await services.demo.ensureCreated() : null;
  // Before listening: once the server answers, the token it prints is the newest one (with several
  // processes starting, a token issued after another process already answered would void the one seen there).
  const token = await services.setup.issueToken();
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = config.publicUrl ?? `http://localhost:${port}`;
  if (token) {
    // Printed, never logged as a field: it is a one-time credential for the person at the terminal.
    process.stdout.write(
      [
        '',
        'Lumio is running. Finish setup to create the owner account and the first workspace:',
        `  ${base}/app/setup#token=${token}`,
        'or from a terminal:',
        `  curl -s -X POST ${base}/api/v1/setup -H 'content-type: application/json' -c cookies.txt \\`,
        `    -d '{"token":"${token}","email":"you@example.com","password":"a long password","workspaceName":"My company"}'`,
        '',
      ].join('\n') + '\n',
    );
  }
  if (demo) {
    process.stdout.write(
      `Demo mode: ${base}/demo is a host app that identifies a demo user (off with --no-demo or NODE_ENV=production).\n`,
    );
  }
  deps.logger.info(
    { port, database: deps.adapter.name, dataDir: deps.adapter.name === 'sqlite' ? config.dataDir : undefined },
    'lumio listening',
  );
  if (options.handleSignals !== false) {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      deps.logger.info({ signal }, 'shutting down: finishing in-flight requests');
      const force = setTimeout(() => process.exit(1), 15_000);
      force.unref();
      lumio.close().then(
        () => process.exit(0),
        (error: unknown) => {
          deps.logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  }
  return lumio;
}
