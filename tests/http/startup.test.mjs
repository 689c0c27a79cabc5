// Start-up refuses bad data files with a message naming the file, the line and the problem,
// and the command line is idempotent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync, appendFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binary, startServer } from '../support/server.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

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

test('vigie index or a second server beside a running one is refused and leaves its index alone', async () => {
  const server = await startServer();
  try {
    const search = async () => (await (await fetch(server.url + '/api/v1/recherche?q=crues')).json()).total;
    const before = await search();
    assert.ok(before > 0);
    const index = run(['index'], { VIGIE_DATA_DIR: server.dataDir });
    assert.equal(index.status, 1);
    assert.match(index.stderr + index.stdout, /utilisé par un autre processus/);
    const second = run(['serve', '--listen', '127.0.0.1:0'], { VIGIE_DATA_DIR: server.dataDir });
    assert.equal(second.status, 1);  // an error, not an abort
    assert.equal(await search(), before);
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
