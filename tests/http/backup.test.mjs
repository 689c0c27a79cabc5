// `vigie backup` while the real server serves and writes, then `vigie restore`: the backup is
// the source as it was at one instant (fiches, their revisions, saved assessments and their
// versions, the `changes` sequence, the audit log); a restore into the stopped instance gives the
// same data and serves it; a restore beside a running instance, or of a file that is not a Vigie
// database, is refused with a French message and a non-zero exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binary, startServer, adminToken } from '../support/server.mjs';

const run = promisify(execFile);
const jsonHeaders = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };

// The rows of `sql` in the database at `path`, through Debian's sqlite3 shell (read-only).
function query(path, sql) {
  const out = execFileSync('sqlite3', ['-readonly', '-json', path, sql], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return out.trim() ? JSON.parse(out) : [];
}

const tables = {
  use_cases: 'SELECT id, revision, publication_state, document FROM use_cases ORDER BY id',
  use_case_revisions: 'SELECT use_case_id, revision, document, changed_at, actor FROM use_case_revisions ORDER BY 1, 2',
  changes: 'SELECT * FROM changes ORDER BY sequence',
  audit_log: 'SELECT * FROM audit_log ORDER BY id',
  assessments: 'SELECT * FROM assessments ORDER BY id',
  assessment_versions: 'SELECT * FROM assessment_versions ORDER BY assessment_id, version',
};

function dump(path) {
  return Object.fromEntries(Object.entries(tables).map(([name, sql]) => [name, query(path, sql)]));
}

function fiche(n) {
  return {
    titre: `Fiche zorglub écrite pendant la sauvegarde ${n}`, resume: 'Écrite pendant une sauvegarde.', porteurs: ['213502388'],
    domaines: ['urbanisme-logement'], finalites: ['automatisation'], techniques: ['tal'], publics: ['agents'],
    statut: 'experimentation', etatPublication: 'publiee',
  };
}

// Writes through the API until `state.stop`: each fiche created then updated; returns the ids
// whose creation had answered before `state.backupStarted` was set.
async function writeFiches(server, state, worker) {
  const before = [];
  for (let n = 0; !state.stop; ++n) {
    const created = await fetch(server.url + '/api/v1/fiches', { method: 'POST', headers: jsonHeaders, body: JSON.stringify(fiche(`${worker}-${n}`)) });
    assert.equal(created.status, 201);
    const { id } = await created.json();
    if (!state.backupStarted) before.push(id);
    const updated = await fetch(server.url + `/api/v1/fiches/${id}`, {
      method: 'PUT', headers: { ...jsonHeaders, 'if-match': created.headers.get('etag') },
      body: JSON.stringify({ ...fiche(`${worker}-${n}`), resume: 'Modifiée pendant une sauvegarde.' }),
    });
    assert.equal(updated.status, 200);
    ++state.written;
  }
  return before;
}

// Saves fundamental-rights impact assessments (anonymous, through the form) until `state.stop`.
async function writeAssessments(server, state) {
  const form = await fetch(server.url + '/outils/analyse-droits-fondamentaux');
  const cookie = form.headers.get('set-cookie').split(';')[0];
  const csrf = (await form.text()).match(/name="csrf" value="([^"]+)"/)[1];
  const fields = {
    finalites: 'Trier', processus: 'Instruction', decisions: 'Aucune', 'mise-en-service': '2026-01-15', frequence: 'Chaque jour',
    publics: 'Habitants', 'groupes-vulnerables': 'Personnes âgées', 'droits-concernes': 'Égalité de traitement',
    risques: 'Erreur', 'niveau-controle': 'Humain', 'mesures-controle': 'Relecture', 'mesures-risques': 'Échantillon',
    gouvernance: 'Comité', reclamations: 'Médiateur',
  };
  const post = (extra) => fetch(server.url + '/outils/analyse-droits-fondamentaux', {
    method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, ...fields, ...extra }),
  });
  // Few enough to stay under the default rate limit of one address.
  for (let n = 0; n < 8 && !state.stop; ++n) {
    const created = await post({});
    assert.equal(created.status, 303);
    const link = created.headers.get('location').split('/').pop();
    assert.equal((await post({ lien: link, version: '1', risques: `Version 2 de ${n}` })).status, 303);
    await new Promise((r) => setTimeout(r, 40));
  }
}

test('a backup taken while the server writes is one consistent snapshot, and restores into a stopped instance', async () => {
  // vigie backup and restore copy SQLite files (a PostgreSQL store is saved with pg_dump).
  const server = await startServer({ store: 'sqlite' });
  const backups = mkdtempSync(join(tmpdir(), 'vigie-sauvegardes-'));
  try {
    const database = join(server.dataDir, 'vigie.db');
    const state = { stop: false, backupStarted: false, written: 0 };
    const writers = [writeFiches(server, state, 'a'), writeFiches(server, state, 'b'), writeAssessments(server, state)];
    while (state.written < 10) await new Promise((r) => setTimeout(r, 20));

    state.backupStarted = true;
    const backup = join(backups, 'vigie.db');
    const { stdout } = await run(binary, ['backup', backup], { env: { ...process.env, VIGIE_DATA_DIR: server.dataDir } });
    assert.match(stdout, /Sauvegarde de .* écrite dans/);
    assert.match(stdout, /L’index de recherche n’est pas sauvegardé/);
    const writtenAtBackupEnd = state.written;
    while (state.written < writtenAtBackupEnd + 4) await new Promise((r) => setTimeout(r, 20));
    state.stop = true;
    const [beforeA, beforeB] = await Promise.all(writers);
    assert.ok(!existsSync(backup + '-wal'), 'one self-contained file');

    const copy = dump(backup);
    const source = dump(database);
    assert.ok(source.changes.length > copy.changes.length, 'writes went on after the backup');
    // Everything committed before the backup started is in it.
    const ids = new Set(copy.use_cases.map((u) => u.id));
    for (const id of [...beforeA, ...beforeB]) assert.ok(ids.has(id), `fiche ${id} committed before the backup`);
    // The logs are the source's prefix: no hole, nothing from after the snapshot.
    const lastChange = copy.changes.at(-1).sequence;
    assert.deepEqual(copy.changes, source.changes.filter((c) => c.sequence <= lastChange));
    const lastAudit = copy.audit_log.at(-1).id;
    assert.deepEqual(copy.audit_log, source.audit_log.filter((a) => a.id <= lastAudit));
    // Fiches: each is the source's revision of the same number, the latest of the copy's history.
    const revisions = new Map(source.use_case_revisions.map((r) => [`${r.use_case_id}-${r.revision}`, r]));
    for (const row of copy.use_case_revisions) assert.deepEqual(row, revisions.get(`${row.use_case_id}-${row.revision}`));
    for (const u of copy.use_cases) {
      assert.equal(u.document, revisions.get(`${u.id}-${u.revision}`).document, `fiche ${u.id}`);
      const history = copy.use_case_revisions.filter((r) => r.use_case_id === u.id);
      assert.equal(Math.max(...history.map((r) => r.revision)), u.revision);
    }
    // Assessments and versions: the source's rows.
    const lastAssessment = copy.assessments.at(-1)?.id ?? 0;
    assert.ok(lastAssessment > 0, 'assessments were saved before the backup');
    assert.deepEqual(copy.assessments, source.assessments.filter((a) => a.id <= lastAssessment));
    const versions = new Map(source.assessment_versions.map((v) => [`${v.assessment_id}-${v.version}`, v]));
    for (const v of copy.assessment_versions) assert.deepEqual(v, versions.get(`${v.assessment_id}-${v.version}`));

    // Restore beside the running server: refused, nothing changed.
    const refused = spawnSync(binary, ['restore', backup], { env: { ...process.env, VIGIE_DATA_DIR: server.dataDir }, encoding: 'utf8' });
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /restauration refusée\u00A0: une instance de Vigie utilise déjà le dossier/);
    assert.match(refused.stderr, /vigie serve/);
    assert.equal(query(database, 'SELECT count(*) AS n FROM changes')[0].n, source.changes.length);

    // Restore into the stopped instance: the backup's data, served.
    await server.stop({ keepData: true });
    const restored = spawnSync(binary, ['restore', backup], { env: { ...process.env, VIGIE_DATA_DIR: server.dataDir }, encoding: 'utf8' });
    assert.equal(restored.status, 0, restored.stderr);
    assert.match(restored.stdout, /restaurée depuis/);
    assert.deepEqual(dump(database), copy);
    assert.ok(existsSync(database + '.avant-restauration'), 'the replaced database is kept');
    const again = await startServer({ dataDir: server.dataDir });
    try {
      const kept = copy.use_cases.at(-1);
      assert.equal((await fetch(again.url + `/api/v1/fiches/${kept.id}`)).status, 200);
      const lost = source.use_cases.at(-1);
      assert.ok(lost.id > kept.id);
      assert.equal((await fetch(again.url + `/api/v1/fiches/${lost.id}`)).status, 404);
      // The index was rebuilt from the restored database.
      const found = await (await fetch(again.url + '/api/v1/recherche?q=zorglub&corriger=non')).json();
      assert.equal(found.total, copy.use_cases.filter((u) => JSON.parse(u.document).titre?.includes('zorglub')).length);
    } finally {
      await again.stop();
    }
  } finally {
    await server.stop();
    rmSync(backups, { recursive: true, force: true });
  }
});

test('restore refuses a file that is not a Vigie database, in French, and changes nothing', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-data-'));
  try {
    const env = { ...process.env, VIGIE_DATA_DIR: dataDir };
    writeFileSync(join(dataDir, 'texte.db'), 'pas une base');
    const text = spawnSync(binary, ['restore', join(dataDir, 'texte.db')], { env, encoding: 'utf8' });
    assert.notEqual(text.status, 0);
    assert.match(text.stderr, /restauration refusée\u00A0: .*texte\.db n’est pas une base SQLite/);
    execFileSync('sqlite3', [join(dataDir, 'autre.db'), 'CREATE TABLE notes (texte TEXT)']);
    const other = spawnSync(binary, ['restore', join(dataDir, 'autre.db')], { env, encoding: 'utf8' });
    assert.notEqual(other.status, 0);
    assert.match(other.stderr, /n’est pas une base de Vigie \(tables manquantes/);
    const missing = spawnSync(binary, ['restore', join(dataDir, 'absente.db')], { env, encoding: 'utf8' });
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /absente\.db n’existe pas/);
    assert.ok(!existsSync(join(dataDir, 'vigie.db')));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('backup and restore of a PostgreSQL store point to pg_dump, in French, without the password, and touch nothing', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-data-'));
  try {
    const env = { ...process.env, VIGIE_DATA_DIR: dataDir, VIGIE_DATABASE_URL: 'postgresql://vigie:secret@127.0.0.1:1/vigie' };
    for (const args of [['backup', join(dataDir, 'copie.db')], ['restore', join(dataDir, 'copie.db')]]) {
      const refused = spawnSync(binary, args, { env, encoding: 'utf8', timeout: 30000 });
      assert.equal(refused.status, 1, refused.stderr);
      assert.match(refused.stderr, new RegExp(`vigie ${args[0]} copie une base SQLite\u00A0; la base configurée est PostgreSQL \\(postgresql://vigie@127\\.0\\.0\\.1:1/vigie\\)\u00A0: sauvegardez-la avec pg_dump`));
      assert.doesNotMatch(refused.stderr, /secret/);
    }
    assert.deepEqual(readdirSync(dataDir), []);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
