// A store that cannot write (a full disk, a failing device) is logged and reported by /healthz,
// and the site recovers by itself once writes succeed again. The fault is made with the
// immutable attribute on the database's write-ahead log (chattr +i, ext4 as root): SQLite then
// gets an I/O error on every write, as with a full disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { adminToken, startServer } from '../support/server.mjs';

const fiche = {
  titre: 'Tri des courriers entrants', resume: 'Un outil propose un service destinataire.', porteurs: ['213502388'],
  domaines: ['urbanisme-logement'], finalites: ['automatisation'], techniques: ['tal'], publics: ['agents'],
  statut: 'experimentation', etatPublication: 'publiee',
};

function chattr(flag, path) {
  return spawnSync('chattr', [flag, path], { encoding: 'utf8' }).status === 0;
}

test('writes failing in a row are logged once a second, make /healthz say so, and the site recovers', async (t) => {
  // SQLite's write-ahead log made unwritable: a fault of the file store.
  const server = await startServer({ store: 'sqlite' });
  const wal = join(server.dataDir, 'vigie.db-wal');
  try {
    if (!chattr('+i', wal)) {
      t.skip('chattr +i is not supported on this filesystem');
      return;
    }
    const post = () => fetch(server.url + '/api/v1/fiches', {
      method: 'POST', body: JSON.stringify(fiche),
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    });
    for (let i = 0; i < 4; i++) {
      const failed = await post();
      assert.equal(failed.status, 503);
      assert.match((await failed.json()).detail, /base de données/);
    }
    // Reads go on.
    assert.equal((await fetch(server.url + '/bibliotheque')).status, 200);
    const health = await fetch(server.url + '/healthz');
    assert.equal(health.status, 503);
    const body = await health.json();
    assert.equal(body.statut, 'degrade');
    assert.match(body.ecritures, /^4 écritures de suite en échec/);
    const logged = server.output().split('\n').filter((line) => /écriture en échec, statut 503/.test(line));
    assert.ok(logged.length >= 1 && logged.length < 4, `failures logged sparingly: ${logged.length} lines`);

    assert.ok(chattr('-i', wal));
    assert.equal((await post()).status, 201);
    // The index catches up with the write in the background, at once.
    let recovered;
    let recoveredBody;
    for (let tries = 0; tries < 100; tries++) {
      recovered = await fetch(server.url + '/healthz');
      recoveredBody = await recovered.json();
      if (recoveredBody.retard_index === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(recovered.status, 200);
    // The index level with the store: no change of the sequence left to apply.
    assert.ok(recoveredBody.sequence_base > 0);
    assert.deepEqual(recoveredBody, { statut: 'ok', index: 'ok', sequence_base: recoveredBody.sequence_base, sequence_index: recoveredBody.sequence_base, retard_index: 0 });
  } finally {
    chattr('-i', wal);
    await server.stop();
  }
});
