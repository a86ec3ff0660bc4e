import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { normalizeUserId } from '@lumio/protocol';
import { ConfigError, loadConfig, type ConfigOverrides } from '../config/config.js';
import { decodeMasterKey, generateMasterKey, MASTER_KEY_FILE, resolveMasterKey } from '../crypto/master-key.js';
import { computeUserIdMac } from '../crypto/user-id-signature.js';
import type { AccountsService } from '../accounts/accounts-service.js';
import type { SetupService } from '../accounts/setup-service.js';
import type { AuthSessions } from '../accounts/auth-sessions.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { WorkspacesService } from '../workspaces/workspaces-service.js';

// Commands import the server and database drivers only when they run, so
// `lumio sign` and `lumio keygen` start in a fraction of the time.
const openDatabase = async (...args: Parameters<typeof import('../db/open-database.js').openDatabase>) =>
  (await import('../db/open-database.js')).openDatabase(...args);
const migrateToLatest = async (...args: Parameters<typeof import('../db/migrate.js').migrateToLatest>) =>
  (await import('../db/migrate.js')).migrateToLatest(...args);

const program = new Command('lumio').description('Lumio server: in-app widgets with trustworthy user identity').showHelpAfterError();

const withServerOptions = (command: Command) =>
  command
    .option('-p, --port <port>', 'HTTP port (PORT, default 8080)')
    .option('--host <host>', 'interface to bind (HOST, default 0.0.0.0)')
    .option('--data-dir <dir>', 'data directory for SQLite and the key file (LUMIO_DATA_DIR, default ./data)');

const configFrom = (options: { port?: string; host?: string; dataDir?: string }, extra: ConfigOverrides = {}) => {
  const overrides: ConfigOverrides = { ...extra };
  const env = { ...process.env };
  if (options.port !== undefined) env.PORT = options.port;
  if (options.host !== undefined) overrides.host = options.host;
  if (options.dataDir !== undefined) overrides.dataDir = options.dataDir;
  return loadConfig(env, overrides);
};

withServerOptions(program.command('start').description('start the server (migrates the database first)'))
  .option('--no-demo', 'no demo workspace and no /demo page (LUMIO_DEMO=false; off by default under NODE_ENV=production)')
  .action(async (options: { demo: boolean; port?: string; host?: string; dataDir?: string }) => {
    const config = configFrom(options, options.demo ? {} : { demo: false });
    const { startServer } = await import('./start-server.js');
    await startServer(config).catch((error: unknown) => exitWithStartupFailure(error, config));
  });

withServerOptions(program.command('migrate').description('bring the database schema up to date and exit')).action(async (options) => {
  const config = configFrom(options);
  const applied = await (async () => {
    const adapter = await openDatabase(config);
    try {
      return await migrateToLatest(adapter);
    } finally {
      await adapter.destroy().catch(() => undefined);
    }
  })().catch((error: unknown) => exitWithStartupFailure(error, config));
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date.');
});

// One line on stderr and exit 1, never a stack (see startup-failure.ts).
async function exitWithStartupFailure(error: unknown, config: ReturnType<typeof configFrom>): Promise<never> {
  const { describeStartupFailure } = await import('./startup-failure.js');
  console.error(describeStartupFailure(error, config));
  process.exit(1);
}

program
  .command('sign')
  .description('print the HMAC-SHA256 signature of a userId (hex), as your server must compute it')
  .argument('<userId>', 'the userId exactly as passed to identify')
  .addOption(new Option('--secret <secret>', 'the widget signing secret').env('LUMIO_SIGNING_SECRET'))
  .action((userId: string, options: { secret?: string }) => {
    if (!options.secret) throw new ConfigError('Pass the signing secret with --secret or LUMIO_SIGNING_SECRET.');
    const normalized = normalizeUserId(userId);
    if (!normalized.ok) throw new ConfigError(normalized.issue.message);
    console.log(computeUserIdMac(normalized.value, options.secret).toString('hex'));
  });

withServerOptions(program.command('setup').description('create the first owner account and workspace from a terminal'))
  .requiredOption('--email <email>', 'owner email')
  .requiredOption('--workspace <name>', 'first workspace name')
  .option('--name <name>', 'owner display name')
  .option('--password-stdin', 'read the password from standard input (else LUMIO_SETUP_PASSWORD)')
  .action(async (options) => {
    const password = options.passwordStdin ? fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '') : process.env.LUMIO_SETUP_PASSWORD;
    if (!password) throw new ConfigError('Give the password on standard input with --password-stdin, or in LUMIO_SETUP_PASSWORD.');
    await withServices(options, async ({ setup }) => {
      const { account, workspace } = await setup.complete(null, {
        email: options.email,
        password,
        name: options.name,
        workspaceName: options.workspace,
      });
      console.log(`Created owner ${account.email} and workspace "${workspace.name}" (${workspace.id}). Sign in at /app.`);
    });
  });

// The operator's way out: the person with a shell on the server may reset any
// account, which nobody on the web may do for an owner (see account-authority.ts).
const resetPasswordCommand = (command: Command, description: string) =>
  withServerOptions(command.description(description))
    .argument('<email>', 'account email')
    .option('--password-stdin', 'set the password read from standard input instead of printing a link')
    .option('--public-url <url>', 'base URL for the link (LUMIO_PUBLIC_URL)')
    .action(async (email: string, options) => {
      const password = options.passwordStdin ? fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '') : undefined;
      await withServices(options, async (services) => {
        const { resetAccountPassword } = await import('./reset-account-password.js');
        const result = await resetAccountPassword(services, email, password);
        const audited = `signed out everywhere; recorded in the audit log of ${result.workspaces} workspace(s)`;
        if (result.kind === 'password') {
          console.log(`Password set for ${email}; ${audited}.`);
          return;
        }
        const base = options.publicUrl ?? process.env.LUMIO_PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 8080}`;
        console.log(`Reset link for ${email} (valid 24 h, single use; ${audited}):\n${base}/app/reset-password#token=${result.token}`);
        console.log(
          `or: curl -X POST ${base}/api/v1/auth/password-reset -H 'content-type: application/json' -d '{"token":"${result.token}","password":"…"}'`,
        );
      });
    });

const accountsCommand = program.command('accounts').description('dashboard accounts, as the server operator');
resetPasswordCommand(
  accountsCommand.command('reset-password'),
  "reset any account's password (a locked-out owner, an account no admin may reset): prints a one-time link, or sets the password from stdin",
);
// The older spelling, kept so scripts and the sign-in page's hint keep working.
resetPasswordCommand(program.command('reset-password'), 'same as `lumio accounts reset-password`');

program
  .command('keygen')
  .description('print a new random master key (for LUMIO_MASTER_KEY)')
  .action(() => console.log(generateMasterKey()));

withServerOptions(program.command('rotate-master-key').description('re-encrypt every stored secret under a new master key'))
  .option('--new-key <key>', 'the new key (base64 or hex of 32 bytes); generated when omitted')
  .action(async (options) => {
    const config = configFrom(options);
    const oldKey = resolveMasterKey(config);
    const newKeyText = options.newKey ?? generateMasterKey();
    const newKey = decodeMasterKey(newKeyText, '--new-key');
    const adapter = await openDatabase(config);
    await migrateToLatest(adapter);
    const { reencryptSecrets, writeKeyFile } = await import('./rotate-master-key.js');
    const count = await reencryptSecrets(adapter, oldKey, newKey);
    await adapter.destroy();
    if (!config.masterKey) {
      writeKeyFile(path.join(config.dataDir, MASTER_KEY_FILE), newKeyText);
      console.log(`Re-encrypted ${count} secrets; ${path.join(config.dataDir, MASTER_KEY_FILE)} now holds the new key.`);
    } else {
      console.log(`Re-encrypted ${count} secrets. Set LUMIO_MASTER_KEY to the new key on every server process now:\n${newKeyText}`);
    }
    console.log('Widget session tokens signed with the old key are no longer valid; browsers start new sessions by themselves.');
  });

const importCommand = program.command('import').description('bulk-load data into a running Lumio server through its API');
importCommand
  .command('users')
  .description('import users (and companies) from a CSV or NDJSON file, streamed to POST /server/v1/users/import')
  .argument('<file>', 'a .csv, .ndjson or .jsonl file (columns and fields: docs/server-api.md#import)')
  .addOption(new Option('--url <url>', 'the Lumio server, e.g. https://lumio.example.com').env('LUMIO_URL'))
  .addOption(new Option('--api-key <key>', 'a workspace API key (the dashboard: Settings → API keys)').env('LUMIO_API_KEY'))
  .addOption(new Option('--format <format>', 'the file format, when its name does not tell').choices(['csv', 'ndjson']))
  .action(async (file: string, options: { url?: string; apiKey?: string; format?: string }) => {
    const { importUsersCommand } = await import('./import-users.js');
    // Non-zero when any row failed, so scripts notice.
    process.exitCode = await importUsersCommand(file, options);
  });

async function withServices<T>(
  options: { port?: string; host?: string; dataDir?: string },
  run: (services: {
    setup: SetupService;
    accounts: AccountsService;
    sessions: AuthSessions;
    workspaces: WorkspacesService;
    audit: AuditLog;
  }) => Promise<T>,
): Promise<T> {
  const config = configFrom(options);
  // Creates the key file on a fresh embedded install, and fails early on a malformed LUMIO_MASTER_KEY.
  resolveMasterKey(config);
  const adapter = await openDatabase(config);
  try {
    await migrateToLatest(adapter);
    const [{ AccountsService }, { SetupService }, { WorkspacesService }, { AuditLog }, { AuthSessions }] = await Promise.all([
      import('../accounts/accounts-service.js'),
      import('../accounts/setup-service.js'),
      import('../workspaces/workspaces-service.js'),
      import('../audit/audit-log.js'),
      import('../accounts/auth-sessions.js'),
    ]);
    const deps = { db: adapter.db, clock: { now: () => Date.now() }, adapter, config };
    const accounts = new AccountsService(deps);
    const audit = new AuditLog(deps);
    const workspaces = new WorkspacesService(deps, audit);
    const setup = new SetupService(deps, accounts, workspaces);
    return await run({ setup, accounts, sessions: new AuthSessions(deps), workspaces, audit });
  } finally {
    await adapter.destroy();
  }
}

program.parseAsync(process.argv).catch((error: unknown) => {
  if (
    error instanceof ConfigError ||
    (error as { code?: string }).code?.startsWith?.('invalid_') ||
    (error as { name?: string }).name === 'LumioError'
  ) {
    console.error(`lumio: ${(error as Error).message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
