// Starts a real Vigie server for HTTP and browser tests: a fresh data directory, `vigie setup`,
// `vigie demo`, then `vigie serve` on a free port with an administrator token. With `dataDir`, serves
// that existing directory as it is (no setup, no demo): a restored instance, say.
//
// The store is SQLite in the data directory, or, when VIGIE_TEST_STORE=postgresql, a fresh
// database on the run's PostgreSQL server (VIGIE_TEST_POSTGRES, started by scripts/run-tests.sh),
// dropped when the server stops. `store: 'sqlite'` keeps SQLite whatever the run: for the tests of
// what only a file store does (backup, restore, a write-protected log).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const binary = process.env.VIGIE_BINARY ?? join(root, 'build', 'vigie');
export const adminToken = 'test-token-0123456789abcdef0123456789';

let databases = 0;

// A new database on the run's PostgreSQL server; its libpq connection string and a function that
// drops it.
function createPostgresDatabase() {
  const server = process.env.VIGIE_TEST_POSTGRES;
  if (!server) throw new Error('VIGIE_TEST_STORE=postgresql needs VIGIE_TEST_POSTGRES (scripts/postgres.sh start DIR prints it)');
  const name = `vigie_http_${process.pid}_${databases++}`;
  const psql = (sql) => execFileSync('psql', [server, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], { stdio: 'pipe' });
  psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  psql(`CREATE DATABASE ${name}`);
  return { url: `${server} dbname=${name}`, drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export async function startServer({ demo = true, env = {}, dataDir: existing, store = process.env.VIGIE_TEST_STORE ?? 'sqlite' } = {}) {
  const dataDir = existing ?? mkdtempSync(join(tmpdir(), 'vigie-e2e-'));
  const tokenFile = join(dataDir, 'admin-token');
  writeFileSync(tokenFile, adminToken + '\n');
  const database = store === 'postgresql' && !existing && !env.VIGIE_DATABASE_URL ? createPostgresDatabase() : null;
  const storeEnv = database ? { VIGIE_DATABASE_URL: database.url } : {};
  const baseEnv = { ...process.env, VIGIE_DATA_DIR: dataDir, VIGIE_ADMIN_TOKEN_FILE: tokenFile, VIGIE_THREADS: '2', ...storeEnv, ...env };
  if (!existing) {
    execFileSync(binary, ['setup'], { env: baseEnv, stdio: 'pipe' });
    if (demo) execFileSync(binary, ['demo'], { env: baseEnv, stdio: 'pipe' });
  }
  const child = spawn(binary, ['serve', '--listen', '127.0.0.1:0'], { env: baseEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20000);
    const onData = (chunk) => {
      output += chunk.toString();
      const match = output.match(/écoute sur (http:\/\/127\.0\.0\.1:\d+)/);
      // The search index is brought up to date in the background at start: wait for it.
      if (match && /index de recherche à jour/.test(output)) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    url,
    dataDir,
    // The environment of the server's commands (data directory, store): for `vigie index` beside it.
    env: baseEnv,
    output: () => output,
    // Stops the server and removes its data directory, unless `keepData`.
    async stop({ keepData = false } = {}) {
      child.removeAllListeners('exit');
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      if (!keepData) {
        rmSync(dataDir, { recursive: true, force: true });
        database?.drop();
      }
    },
  };
}

// Launches Debian's Chromium through playwright-core, as the workplace requires.
// `javaScript: false` checks that a page works without scripts (progressive enhancement).
export async function launchBrowser({ javaScript = true } = {}) {
  const { chromium } = await import('playwright-core');
  const userDataDir = mkdtempSync(join(tmpdir(), 'vigie-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    javaScriptEnabled: javaScript,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu',
      '--disable-quic', '--no-first-run', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

// Runs axe-core (WCAG 2.1 A/AA) on the page and returns the violations.
export async function axeViolations(page) {
  const axePath = join(root, 'node_modules', 'axe-core', 'axe.min.js');
  // Evaluated through the DevTools protocol: the page's Content-Security-Policy stays intact.
  const { readFileSync } = await import('node:fs');
  await page.evaluate(readFileSync(axePath, 'utf8'));
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    return await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
  });
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
}
