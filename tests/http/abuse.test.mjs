// Anonymous writes (saving a fundamental-rights impact assessment needs no account) survive
// abuse: a rate limit per address answered 429 with Retry-After, a bound on each save that keeps
// what was typed, a storage quota that prunes superseded versions and then refuses (429), while
// reads and the API's token-authenticated writes go on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminToken } from '../support/server.mjs';

const jsonHeaders = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };

// Every required field of the form, filled.
const fields = {
  finalites: 'Trier les demandes', processus: 'Instruction des demandes', decisions: 'Aucune décision automatique',
  'mise-en-service': '2026-01-15', frequence: 'Chaque jour', publics: 'Habitants', 'groupes-vulnerables': 'Personnes âgées',
  risques: 'Erreur de tri', 'droits-concernes': 'Égalité de traitement', 'niveau-controle': 'Validation humaine',
  'mesures-controle': 'Un agent relit', 'mesures-risques': 'Contrôle par échantillon', gouvernance: 'Comité',
  reclamations: 'Médiateur',
};

// A visitor of the form: its CSRF cookie and token.
async function visitor(server) {
  const response = await fetch(server.url + '/outils/analyse-droits-fondamentaux');
  assert.equal(response.status, 200);
  const cookie = response.headers.get('set-cookie').split(';')[0];
  const csrf = (await response.text()).match(/name="csrf" value="([^"]+)"/)[1];
  return { cookie, csrf };
}

async function saveFria(server, session, extra = {}) {
  return fetch(server.url + '/outils/analyse-droits-fondamentaux', {
    method: 'POST', redirect: 'manual',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: session.csrf, ...fields, ...extra }),
  });
}

// The version numbers in the history table of a saved assessment's page, newest first.
function versionsListed(html) {
  return [...html.matchAll(/<th scope="row">(\d+)<\/th>/g)].map((m) => Number(m[1]));
}

function linkOf(response) {
  assert.equal(response.status, 303);
  return response.headers.get('location').split('/').pop();
}

async function assertReadsAndAdminWritesWork(server) {
  assert.equal((await fetch(server.url + '/')).status, 200);
  assert.equal((await fetch(server.url + '/bibliotheque')).status, 200);
  assert.equal((await fetch(server.url + '/api/v1/fiches')).status, 200);
  const created = await fetch(server.url + '/api/v1/fiches', {
    method: 'POST', headers: jsonHeaders,
    body: JSON.stringify({
      titre: 'Tri des courriers', resume: 'Un outil trie les courriers.', porteurs: ['213502388'], domaines: ['urbanisme-logement'],
      finalites: ['automatisation'], techniques: ['tal'], publics: ['agents'], statut: 'experimentation', etatPublication: 'publiee',
    }),
  });
  assert.equal(created.status, 201);
  return created.json();
}

test('saves beyond the per-address rate limit get a French 429 page with Retry-After; reads and API writes go on', async () => {
  const server = await startServer({
    demo: false, env: { VIGIE_ANONYMOUS_WRITES_PER_ADDRESS: '3', VIGIE_ANONYMOUS_WRITES_WINDOW: '3600' },
  });
  try {
    const session = await visitor(server);
    for (let i = 0; i < 3; ++i) linkOf(await saveFria(server, session));
    const refused = await saveFria(server, session);
    assert.equal(refused.status, 429);
    assert.match(refused.headers.get('content-type'), /text\/html/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 1200, `Retry-After ${retryAfter}`);
    const html = await refused.text();
    assert.match(html, /Trop de requêtes/);
    assert.match(html, /réessayez dans \d+\u00A0minutes/);
    await assertReadsAndAdminWritesWork(server);
    // Refused again: the limit holds.
    assert.equal((await saveFria(server, session)).status, 429);
  } finally {
    await server.stop();
  }
});

test('a save bigger than allowed is refused with 413 and the form keeps what was typed', async () => {
  const server = await startServer({ demo: false, env: { VIGIE_ASSESSMENT_MAX_BYTES: '4000' } });
  try {
    const session = await visitor(server);
    const long = 'Un texte très long sur les risques. '.repeat(150);  // about 5 400 bytes
    const refused = await saveFria(server, session, { risques: long });
    assert.equal(refused.status, 413);
    const html = await refused.text();
    assert.match(html, /L’analyse n’a pas été enregistrée/);
    assert.match(html, /raccourcissez les textes les plus longs/);
    assert.match(html, /aria-invalid="true"/);
    assert.ok(html.includes(long.trim()), 'the long text is kept in the form');
    assert.ok(html.includes('Médiateur'), 'the other fields are kept');
    // Shorter, it is saved.
    linkOf(await saveFria(server, session));
  } finally {
    await server.stop();
  }
});

test('the storage quota prunes superseded versions first, then refuses new saves with 429 while reads and API writes go on', async () => {
  const server = await startServer({
    demo: false, env: { VIGIE_ASSESSMENT_STORAGE_BYTES: '20000', VIGIE_ASSESSMENT_MAX_BYTES: '8000' },
  });
  try {
    const session = await visitor(server);
    const text = (n) => `Analyse ${n} : ` + 'x'.repeat(5000);
    // A: two versions; B: one. About 16 kB of 20.
    const a = linkOf(await saveFria(server, session, { risques: text('A1') }));
    linkOf(await saveFria(server, session, { risques: text('A2'), lien: a, version: '1' }));
    const b = linkOf(await saveFria(server, session, { risques: text('B1') }));
    // C needs A's first version's room: A keeps its latest version only.
    const c = linkOf(await saveFria(server, session, { risques: text('C1') }));
    const savedA = await (await fetch(server.url + `/outils/evaluations/${a}`)).text();
    assert.match(savedA, /Analyse A2/);
    assert.deepEqual(versionsListed(savedA), [2]);
    // Only latest versions left: the next save is refused, nobody's link breaks.
    const refused = await saveFria(server, session, { risques: text('D1') });
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.match(await refused.text(), /L’espace réservé aux évaluations enregistrées est plein/);
    for (const link of [a, b, c]) assert.equal((await fetch(server.url + `/outils/evaluations/${link}`)).status, 200, link);
    // Reads and token-authenticated writes are not affected, attaching an assessment included.
    const fiche = await assertReadsAndAdminWritesWork(server);
    const attached = await fetch(server.url + `/api/v1/fiches/${fiche.id}/evaluations`, {
      method: 'POST', headers: jsonHeaders, body: JSON.stringify({ lien: b }),
    });
    assert.equal(attached.status, 200);
  } finally {
    await server.stop();
  }
});

test('an unattached assessment keeps its latest versions only', async () => {
  const server = await startServer({ demo: false, env: { VIGIE_ASSESSMENT_VERSIONS_KEPT: '2' } });
  try {
    const session = await visitor(server);
    const link = linkOf(await saveFria(server, session, { risques: 'Version une' }));
    for (let version = 1; version <= 3; ++version) {
      linkOf(await saveFria(server, session, { risques: `Version ${version + 1}`, lien: link, version: String(version) }));
    }
    const html = await (await fetch(server.url + `/outils/evaluations/${link}`)).text();
    assert.deepEqual(versionsListed(html), [4, 3]);
  } finally {
    await server.stop();
  }
});
