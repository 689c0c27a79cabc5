// Start-up refuses bad data files with a message naming the file, the line and the problem,
// and the command line is idempotent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync, appendFileSync, readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminToken, binary, startServer } from '../support/server.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

// Polls `check` (sync or async) until it holds, for at most `seconds`.
async function waitFor(check, what, seconds = 30) {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`timed out: ${what}`);
}

function run(args, env) {
  return spawnSync(binary, args, { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60000 });
}

test('a taxonomy file with a duplicate code stops start-up naming file and line', () => {
  const resources = mkdtempSync(join(tmpdir(), 'vigie-resources-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-data-'));
  try {
    for (const part of ['data', 'templates', 'static']) cpSync(join(root, part), join(resources, part), { recursive: true });
    appendFileSync(join(resources, 'data', 'taxonomies', 'domaines.csv'), 'mobilite,Mobilité bis,04.5,doublon\n');
    const result = run(['serve', '--listen', '127.0.0.1:0'], { VIGIE_RESOURCES_DIR: resources, VIGIE_DATA_DIR: dataDir });
    assert.equal(result.status, 1);
    assert.match(result.stderr + result.stdout, /domaines\.csv, ligne 24 : code « mobilite » en double \(déjà ligne 10\)/);
  } finally {
    rmSync(resources, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('an assessment data file with a dangling reference stops start-up naming file, node and problem', () => {
  const resources = mkdtempSync(join(tmpdir(), 'vigie-resources-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-data-'));
  try {
    for (const part of ['data', 'templates', 'static']) cpSync(join(root, part), join(resources, part), { recursive: true });
    const file = join(resources, 'data', 'assessment', 'classification-ai-act.json');
    const tree = JSON.parse(readFileSync(file, 'utf8'));
    tree.noeuds[0].regles[0].suite = 'inexistant';
    writeFileSync(file, JSON.stringify(tree, null, 2));
    const result = run(['serve', '--listen', '127.0.0.1:0'], { VIGIE_RESOURCES_DIR: resources, VIGIE_DATA_DIR: dataDir });
    assert.equal(result.status, 1);
    assert.match(result.stderr + result.stdout,
      /classification-ai-act\.json, nœud « systeme-ia », règle 1 : renvoie vers le nœud « inexistant », qui n'existe pas/);
  } finally {
    rmSync(resources, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a vocabulary line with one expression stops start-up naming file and line', () => {
  const resources = mkdtempSync(join(tmpdir(), 'vigie-resources-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-data-'));
  try {
    for (const part of ['data', 'templates', 'static']) cpSync(join(root, part), join(resources, part), { recursive: true });
    const file = join(resources, 'data', 'vocabulaire', 'sigles.csv');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').length;
    appendFileSync(file, 'CCAS,Action sociale\n');
    const result = run(['serve', '--listen', '127.0.0.1:0'], { VIGIE_RESOURCES_DIR: resources, VIGIE_DATA_DIR: dataDir });
    assert.equal(result.status, 1);
    assert.match(result.stderr + result.stdout, new RegExp(`sigles\\.csv, ligne ${lines + 1} : un groupe compte au moins deux expressions`));
  } finally {
    rmSync(resources, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('vigie index beside a running server asks that server to rebuild, and a second server is refused before touching data', async () => {
  const server = await startServer();
  const fresh = mkdtempSync(join(tmpdir(), 'vigie-second-'));
  try {
    const search = async () => (await (await fetch(server.url + '/api/v1/recherche?q=crues')).json()).total;
    const before = await search();
    assert.ok(before > 0);

    const index = run(['index'], server.env);
    assert.equal(index.status, 0, index.stderr);
    assert.match(index.stdout, /reconstruction demandée à ce serveur/);
    await waitFor(() => /index de recherche reconstruit/.test(server.output()), 'the server rebuilds its index');
    assert.match(server.output(), /reconstruction demandée par « vigie index »/);
    assert.equal(existsSync(join(server.dataDir, 'index', 'reconstruction-demandee')), false);
    assert.equal(await search(), before);

    // On the same data: the index is held (an error, not an abort).
    const second = run(['serve', '--listen', '127.0.0.1:0'], server.env);
    assert.equal(second.status, 1);
    // On the same address: refused in French before any data is opened or created.
    const address = new URL(server.url).host;
    const sameAddress = run(['serve', '--listen', address], { VIGIE_DATA_DIR: fresh });
    assert.equal(sameAddress.status, 1);
    assert.match(sameAddress.stderr + sameAddress.stdout, new RegExp(`Impossible d'écouter sur ${address.replaceAll('.', '\\.')} : adresse déjà utilisée`));
    assert.deepEqual(readdirSync(fresh), []);
    assert.equal(await search(), before);
  } finally {
    await server.stop();
    rmSync(fresh, { recursive: true, force: true });
  }
});

test('a corrupt index under a running server is rebuilt while it serves, and new fiches become searchable', async () => {
  const server = await startServer();
  try {
    const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
    // Every file of every generation of the index overwritten in place (the server keeps them open).
    const corrupted = [];
    const walk = (dir) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.glass')) {
          writeFileSync(path, Buffer.alloc(statSync(path).size, 0x5a));
          corrupted.push(path);
        }
      }
    };
    walk(join(server.dataDir, 'index'));
    assert.ok(corrupted.length > 0);

    const fiche = {
      titre: 'Zorglubisation des registres de voirie', resume: 'Un outil zorglubise les registres.', porteurs: ['213502388'],
      domaines: ['urbanisme-logement'], finalites: ['automatisation'], techniques: ['tal'], publics: ['agents'],
      statut: 'experimentation', etatPublication: 'publiee',
    };
    const created = await fetch(server.url + '/api/v1/fiches', { method: 'POST', headers, body: JSON.stringify(fiche) });
    assert.equal(created.status, 201);

    const found = async () => {
      const response = await fetch(server.url + '/api/v1/recherche?q=zorglubisation');
      return response.status === 200 && (await response.json()).total === 1;
    };
    await waitFor(found, 'the new fiche is found once the index is rebuilt');
    assert.match(server.output(), /index de recherche reconstruit/);
    const health = await fetch(server.url + '/healthz');
    assert.equal(health.status, 200);
    const healthBody = await health.json();
    // The index level with the store: no change of the sequence left to apply.
    assert.ok(healthBody.sequence_base > 0);
    assert.deepEqual(healthBody, { statut: 'ok', index: 'ok', sequence_base: healthBody.sequence_base, sequence_index: healthBody.sequence_base, retard_index: 0 });
    // The library page agrees (the page cache does not keep what the broken index answered).
    const page = await (await fetch(server.url + '/bibliotheque?q=zorglubisation')).text();
    assert.match(page, /Zorglubisation des registres de voirie/);
  } finally {
    await server.stop();
  }
});

test('setup and demo run twice change nothing the second time', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-data-'));
  try {
    const env = { VIGIE_DATA_DIR: dataDir };
    assert.equal(run(['setup'], env).status, 0);
    assert.equal(run(['demo'], env).status, 0);
    assert.equal(run(['setup'], env).status, 0);
    const again = run(['demo'], env);
    assert.equal(again.status, 0);
    assert.match(again.stdout, /déjà chargées/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a short administrator token is refused at start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-data-'));
  try {
    const tokenFile = join(dataDir, 'token');
    writeFileSync(tokenFile, 'court\n');
    const result = run(['serve', '--listen', '127.0.0.1:0'], { VIGIE_DATA_DIR: dataDir, VIGIE_ADMIN_TOKEN_FILE: tokenFile });
    assert.equal(result.status, 1);
    assert.match(result.stderr + result.stdout, /au moins 24 caractères/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
