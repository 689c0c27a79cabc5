// Several Vigie nodes on one PostgreSQL database (issue 10): each serves the same site, keeps its
// own search index in step through the store's `changes` sequence, and accepts the forms the
// others rendered. Two real servers on two ports, on a database of the run's PostgreSQL server
// (scripts/run-tests.sh starts it: VIGIE_TEST_POSTGRES).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminToken, startServer } from '../support/server.mjs';

const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };

test('a fiche written through node A is read and found through node B within a second; A\'s forms are accepted by B', async () => {
  const a = await startServer({ store: 'postgresql' });
  // Node B: its own data directory (its own index), the same database, nothing loaded again.
  const b = await startServer({ demo: false, env: { VIGIE_DATABASE_URL: a.env.VIGIE_DATABASE_URL } });
  try {
    assert.notEqual(a.url, b.url);
    const count = async (node) => (await (await fetch(node.url + '/api/v1/fiches?limite=1')).json()).total;
    assert.equal(await count(b), await count(a));

    // A word no fiche holds (letters only: digits do not filter a search).
    const word = 'zorglub' + Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
    const fiche = {
      titre: `Tri des courriers entrants ${word}`, resume: 'Un outil propose un service destinataire.', porteurs: ['213502388'],
      domaines: ['urbanisme-logement'], finalites: ['automatisation'], techniques: ['tal'], publics: ['agents'],
      statut: 'experimentation', etatPublication: 'publiee',
    };
    const written = Date.now();
    const created = await fetch(a.url + '/api/v1/fiches', { method: 'POST', headers, body: JSON.stringify(fiche) });
    assert.equal(created.status, 201, await created.clone().text());
    const { id } = await created.json();

    // Searchable on B within one second of the write.
    let found = 0;
    while (Date.now() - written < 5000) {
      const answer = await (await fetch(b.url + '/api/v1/recherche?q=' + word)).json();
      found = answer.resultats.filter((r) => r.titre.includes(word)).length;
      if (found === 1) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const lag = Date.now() - written;
    assert.equal(found, 1, 'node B never found the fiche written through node A');
    assert.ok(lag <= 1000, `found on node B ${lag} ms after the write`);
    // Its page, the library and the listing on B show it (B's page cache follows the sequence).
    const page = await fetch(b.url + `/fiches/${id}`, { redirect: 'follow' });
    assert.equal(page.status, 200);
    assert.match(await page.text(), new RegExp(word));
    assert.match(await (await fetch(b.url + '/bibliotheque?q=' + word)).text(), new RegExp(word));
    assert.equal(await count(b), await count(a));

    // B's readiness says its index is level with the store.
    const health = await (await fetch(b.url + '/healthz')).json();
    assert.equal(health.statut, 'ok');
    assert.equal(health.retard_index, 0);
    assert.equal(health.sequence_index, health.sequence_base);
    const metrics = await (await fetch(b.url + '/metrics')).text();
    assert.match(metrics, /^vigie_index_lag_changes 0$/m);
    assert.match(metrics, /^vigie_store_connections\{state="idle"\} \d+$/m);

    // A form rendered by node A is accepted by node B: the CSRF key is the database's.
    const form = await fetch(a.url + '/outils/analyse-droits-fondamentaux');
    const cookie = form.headers.get('set-cookie').split(';')[0];
    const csrf = (await form.text()).match(/name="csrf" value="([^"]+)"/)[1];
    const saved = await fetch(b.url + '/outils/analyse-droits-fondamentaux', {
      method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        csrf, finalites: 'Trier le courrier', processus: 'Instruction des demandes', decisions: 'Aucune décision automatique',
        'mise-en-service': '2026-01-15', frequence: 'Chaque jour', publics: 'Habitants', 'groupes-vulnerables': 'Personnes âgées',
        risques: 'Erreur de tri', 'droits-concernes': 'Égalité de traitement', 'niveau-controle': 'Validation humaine',
        'mesures-controle': 'Un agent relit', 'mesures-risques': 'Contrôle par échantillon', gouvernance: 'Comité',
        reclamations: 'Médiateur',
      }),
    });
    assert.equal(saved.status, 303, await saved.text());
    // …and the saved assessment opens on node A.
    const opened = await fetch(a.url + saved.headers.get('location'));
    assert.equal(opened.status, 200);
    assert.match(await opened.text(), /Trier le courrier/);
    // A token made up elsewhere is still refused.
    const forged = await fetch(b.url + '/outils/analyse-droits-fondamentaux', {
      method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: csrf.slice(0, -2) + 'AA', finalites: 'x' }),
    });
    assert.equal(forged.status, 403);
  } finally {
    await b.stop();
    await a.stop();
  }
});

test('vigie copy-store moves a SQLite instance to PostgreSQL, where a server serves the same fiches', async () => {
  const { execFileSync, spawnSync } = await import('node:child_process');
  const { binary } = await import('../support/server.mjs');
  const sqlite = await startServer({ store: 'sqlite' });
  const listed = async (node) => (await (await fetch(node.url + '/api/v1/fiches?limite=1')).json()).total;
  const before = await listed(sqlite);
  await sqlite.stop({ keepData: true });
  const server = process.env.VIGIE_TEST_POSTGRES;
  assert.ok(server, 'VIGIE_TEST_POSTGRES: the run\'s PostgreSQL server');
  const name = `vigie_copy_${process.pid}`;
  const psql = (sql) => execFileSync('psql', [server, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], { stdio: 'pipe' });
  psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  psql(`CREATE DATABASE ${name}`);
  const url = `${server} dbname=${name}`;
  let postgres;
  try {
    const copied = spawnSync(binary, ['copy-store', '--to', url], { env: { ...process.env, VIGIE_DATA_DIR: sqlite.dataDir }, encoding: 'utf8' });
    assert.equal(copied.status, 0, copied.stderr);
    assert.match(copied.stdout, new RegExp(`Instance copiée de .*vigie\\.db vers .*dbname=${name} en [\\d.]+\u00A0s\u00A0: \\d+ fiches`));
    assert.match(copied.stdout, /somme de contrôle des fiches \([A-Za-z0-9_-]{43}\) vérifiés des deux côtés/);
    // Again: refused, the target is no longer empty.
    const again = spawnSync(binary, ['copy-store', '--to', url], { env: { ...process.env, VIGIE_DATA_DIR: sqlite.dataDir }, encoding: 'utf8' });
    assert.equal(again.status, 1);
    assert.match(again.stderr, /n'est pas vide/);

    postgres = await startServer({ demo: false, env: { VIGIE_DATABASE_URL: url } });
    assert.equal(await listed(postgres), before);
    assert.equal((await fetch(postgres.url + '/api/v1/recherche?q=crues')).status, 200);
  } finally {
    await postgres?.stop();
    psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    const { rmSync } = await import('node:fs');
    rmSync(sqlite.dataDir, { recursive: true, force: true });
  }
});

test('the anonymous-write limit of an address is one allowance across nodes', async () => {
  const limits = { VIGIE_ANONYMOUS_WRITES_PER_ADDRESS: '2', VIGIE_ANONYMOUS_WRITES_WINDOW: '3600' };
  const a = await startServer({ store: 'postgresql', demo: false, env: limits });
  const b = await startServer({ demo: false, env: { ...limits, VIGIE_DATABASE_URL: a.env.VIGIE_DATABASE_URL } });
  try {
    const fields = {
      finalites: 'Trier le courrier', processus: 'Instruction des demandes', decisions: 'Aucune décision automatique',
      'mise-en-service': '2026-01-15', frequence: 'Chaque jour', publics: 'Habitants', 'groupes-vulnerables': 'Personnes âgées',
      risques: 'Erreur de tri', 'droits-concernes': 'Égalité de traitement', 'niveau-controle': 'Validation humaine',
      'mesures-controle': 'Un agent relit', 'mesures-risques': 'Contrôle par échantillon', gouvernance: 'Comité',
      reclamations: 'Médiateur',
    };
    const save = async (node) => {
      const form = await fetch(node.url + '/outils/analyse-droits-fondamentaux');
      const cookie = form.headers.get('set-cookie').split(';')[0];
      const csrf = (await form.text()).match(/name="csrf" value="([^"]+)"/)[1];
      return fetch(node.url + '/outils/analyse-droits-fondamentaux', {
        method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf, ...fields }),
      });
    };
    assert.equal((await save(a)).status, 303);
    assert.equal((await save(b)).status, 303);
    // The third save from the same address, on either node, is over the limit of 2.
    for (const node of [a, b]) {
      const refused = await save(node);
      assert.equal(refused.status, 429);
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    }
  } finally {
    await b.stop();
    await a.stop();
  }
});

test('a node started before its database answers says so in French, tries again and serves once it does', async () => {
  const { execFileSync, spawn } = await import('node:child_process');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { binary } = await import('../support/server.mjs');
  const server = process.env.VIGIE_TEST_POSTGRES;
  assert.ok(server, 'VIGIE_TEST_POSTGRES: the run\'s PostgreSQL server');
  const name = `vigie_later_${process.pid}`;
  const psql = (sql) => execFileSync('psql', [server, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], { stdio: 'pipe' });
  psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-later-'));
  const child = spawn(binary, ['serve', '--listen', '127.0.0.1:0'], {
    env: { ...process.env, VIGIE_DATA_DIR: dataDir, VIGIE_DATABASE_URL: `${server} dbname=${name}` }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const waitFor = async (pattern, what) => {
    const start = Date.now();
    while (!pattern.test(output)) {
      assert.equal(child.exitCode, null, `the node stopped (${what}):\n${output}`);
      assert.ok(Date.now() - start < 20000, `${what}:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    await waitFor(/la base PostgreSQL ne répond pas : .*\u00A0; nouvel essai dans 1\u00A0s/, 'a French message and a retry');
    await waitFor(/nouvel essai dans 2\u00A0s/, 'a second try');
    psql(`CREATE DATABASE ${name}`);
    await waitFor(/écoute sur (http:\/\/127\.0\.0\.1:\d+)/, 'serving once the database answers');
    const url = output.match(/écoute sur (http:\/\/127\.0\.0\.1:\d+)/)[1];
    const health = await fetch(url + '/healthz');
    assert.equal(health.status, 200);
    assert.equal((await health.json()).statut, 'ok');
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
