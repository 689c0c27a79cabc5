// The JSON API and the server's HTTP behaviour, against the real server over HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminToken } from '../support/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

const auth = { authorization: `Bearer ${adminToken}` };
const jsonHeaders = { ...auth, 'content-type': 'application/json' };

async function get(path, headers = {}) {
  return fetch(server.url + path, { headers, redirect: 'manual' });
}

async function firstFiche() {
  const response = await get('/api/v1/fiches?limite=1');
  return (await response.json()).fiches[0];
}

function newFiche(overrides = {}) {
  return {
    titre: 'Analyse des demandes d’urbanisme', resume: 'Un outil classe les demandes.', porteurs: ['213502388'],
    domaines: ['urbanisme-logement'], finalites: ['automatisation'], techniques: ['tal'], publics: ['agents'],
    statut: 'experimentation', etatPublication: 'publiee', ...overrides,
  };
}

async function assertProblem(response, status, field) {
  assert.equal(response.status, status);
  assert.match(response.headers.get('content-type'), /^application\/problem\+json/);
  const problem = await response.json();
  assert.equal(problem.status, status);
  assert.ok(problem.title.length > 0);
  assert.ok(problem.detail.length > 0);
  if (field !== undefined) {
    assert.ok(problem.errors?.some((e) => e.champ === field), `field ${field} in ${JSON.stringify(problem.errors)}`);
  }
  return problem;
}

test('every page route answers 200 with the security headers', async () => {
  const fiche = await firstFiche();
  for (const path of ['/', '/bibliotheque', '/bibliotheque?domaine=mobilite&tri=titre', `/fiches/${fiche.id}-x`,
    '/collectivites/213502388', '/territoires?q=rennes', '/territoires', '/mentions-legales', '/accessibilite',
    '/contact', '/credits', '/a-propos', '/carte', '/healthz', '/metrics', '/api/v1/fiches', '/api/v1/openapi.json',
    '/static/css/vigie.css', '/static/vendor/pico.min.css', '/carte?niveau=regions', '/outils', '/outils/classification-ai-act',
    '/outils/classification-ai-act?mode=page', '/outils/classification-ai-act/resultat', '/outils/evaluation-impact',
    '/outils/analyse-droits-fondamentaux']) {
    const response = await get(path);
    const expected = path.startsWith('/fiches/') ? 301 : 200;
    assert.equal(response.status, expected, path);
    assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, path);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(response.headers.get('referrer-policy'), 'strict-origin-when-cross-origin', path);
  }
});

test('a fiche under a wrong slug redirects permanently to its canonical address', async () => {
  const fiche = await firstFiche();
  const response = await get(`/fiches/${fiche.id}-mauvais-titre`);
  assert.equal(response.status, 301);
  const location = response.headers.get('location');
  assert.match(location, new RegExp(`^/fiches/${fiche.id}-[a-z0-9-]+$`));
  const canonical = await get(location);
  assert.equal(canonical.status, 200);
  const html = await canonical.text();
  assert.match(html, /Fiche de démonstration/);
});

test('unknown pages are 404 in HTML and unknown API resources are problem documents', async () => {
  const page = await get('/nulle-part');
  assert.equal(page.status, 404);
  assert.match(page.headers.get('content-type'), /text\/html/);
  await assertProblem(await get('/api/v1/fiches/999999'), 404);
  await assertProblem(await get('/api/v1/collectivites/000000000'), 404);
  assert.equal((await get('/fiches/999999-rien')).status, 404);
  assert.equal((await get('/collectivites/inconnue')).status, 404);
});

test('garbage in query strings never causes a server error', async () => {
  for (const path of ['/bibliotheque?domaine=%FF%FE&q=%C3', '/bibliotheque?page=-3&tri=%00', '/bibliotheque?page=99999999999999999999',
    '/territoires?q=%FF', '/api/v1/fiches?collectivite=%FF', '/api/v1/territoires?q=%25%25%25', '/fiches/abc', '/fiches/%FF-x',
    '/outils/classification-ai-act?systeme-ia=%FF&role=x,y,,&modifier=%00', '/outils/classification-ai-act/resultat?%FF=%FE&&=',
    '/outils/evaluation-impact?phase=%FF&ai-act=,,%00&calculer', '/outils/analyse-droits-fondamentaux?fiche=-1&lien=%FF',
    '/outils/evaluations/..%2F..%2Fetc', '/carte?niveau=%FF', '/bibliotheque?comme=%FF&choix=1', '/api/v1/recherche?niveau-impact=%FF']) {
    const response = await get(path);
    assert.ok(response.status < 500, `${path}: ${response.status}`);
  }
});

test('a method the route does not allow is 405 with Allow', async () => {
  const response = await fetch(server.url + '/bibliotheque', { method: 'POST' });
  assert.equal(response.status, 405);
  assert.match(response.headers.get('allow') ?? '', /GET/);
});

test('the fiche list has the documented shape and cursor pagination visits every fiche once', async () => {
  const seen = new Set();
  let path = '/api/v1/fiches?limite=25';
  let total;
  while (path) {
    const response = await get(path);
    assert.equal(response.status, 200);
    const page = await response.json();
    total = page.total;
    for (const fiche of page.fiches) {
      assert.ok(!seen.has(fiche.id));
      seen.add(fiche.id);
      for (const key of ['titre', 'resume', 'porteurs', 'domaines', 'statut', 'revision', 'demo', 'donnees', 'cout']) assert.ok(key in fiche, key);
      assert.equal(fiche.etatPublication, 'publiee');
    }
    path = page.suivant;
  }
  assert.equal(seen.size, total);
  assert.ok(total >= 80);
});

test('list filters are validated and applied', async () => {
  const mobility = await (await get('/api/v1/fiches?domaine=mobilite&limite=100')).json();
  assert.ok(mobility.total > 0);
  assert.ok(mobility.fiches.every((f) => f.domaines.includes('mobilite')));
  await assertProblem(await get('/api/v1/fiches?domaine=inexistant'), 400, 'domaine');
  await assertProblem(await get('/api/v1/fiches?limite=1000'), 400, 'limite');
  await assertProblem(await get('/api/v1/fiches?curseur=%25%25'), 400, 'curseur');
});

test('a fiche read carries an ETag and answers 304 to If-None-Match', async () => {
  const fiche = await firstFiche();
  const response = await get(`/api/v1/fiches/${fiche.id}`);
  assert.equal(response.status, 200);
  const etag = response.headers.get('etag');
  assert.ok(etag);
  const again = await get(`/api/v1/fiches/${fiche.id}`, { 'if-none-match': etag });
  assert.equal(again.status, 304);
});

test('writes without a token are 401, with a wrong token 403', async () => {
  const body = JSON.stringify(newFiche());
  const anonymous = await fetch(server.url + '/api/v1/fiches', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  await assertProblem(anonymous, 401);
  assert.match(anonymous.headers.get('www-authenticate') ?? '', /Bearer/);
  const wrong = await fetch(server.url + '/api/v1/fiches', { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: 'Bearer nope' } });
  await assertProblem(wrong, 403);
});

test('create, update with the revision, stale update 412, archive', async () => {
  const created = await fetch(server.url + '/api/v1/fiches', { method: 'POST', body: JSON.stringify(newFiche()), headers: jsonHeaders });
  assert.equal(created.status, 201);
  const fiche = await created.json();
  assert.equal(created.headers.get('location'), `/api/v1/fiches/${fiche.id}`);
  assert.equal(fiche.revision, 1);
  assert.equal(fiche.demo, false);

  const etag = created.headers.get('etag');
  const updated = await fetch(server.url + `/api/v1/fiches/${fiche.id}`, {
    method: 'PUT', body: JSON.stringify(newFiche({ titre: 'Titre modifié' })), headers: { ...jsonHeaders, 'if-match': etag },
  });
  assert.equal(updated.status, 200);
  assert.equal((await updated.json()).revision, 2);

  const stale = await fetch(server.url + `/api/v1/fiches/${fiche.id}`, {
    method: 'PUT', body: JSON.stringify(newFiche({ titre: 'Perdu' })), headers: { ...jsonHeaders, 'if-match': etag },
  });
  await assertProblem(stale, 412);
  const current = await (await get(`/api/v1/fiches/${fiche.id}`)).json();
  assert.equal(current.titre, 'Titre modifié');

  // The search index follows the write before the response returns.
  let search = await (await get('/bibliotheque?q=titre+modifi%C3%A9')).text();
  assert.match(search, new RegExp(`/fiches/${fiche.id}-titre-modifie`));

  const page = await get(`/fiches/${fiche.id}-titre-modifie`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Titre modifié/);

  const archived = await fetch(server.url + `/api/v1/fiches/${fiche.id}`, { method: 'DELETE', headers: { ...auth, 'if-match': `"${fiche.id}-2"` } });
  assert.equal(archived.status, 200);
  assert.equal((await archived.json()).etatPublication, 'archivee');
  search = await (await get('/bibliotheque?q=titre+modifi%C3%A9')).text();
  assert.doesNotMatch(search, new RegExp(`/fiches/${fiche.id}-`));
});

test('bad input is refused with a French problem naming the field, and nothing is written', async () => {
  const before = (await (await get('/api/v1/fiches?limite=1')).json()).total;
  const post = (body, headers = jsonHeaders) => fetch(server.url + '/api/v1/fiches', { method: 'POST', body, headers });
  let problem = await assertProblem(await post(JSON.stringify(newFiche({ porteurs: ['999999999'] }))), 400, 'porteurs[0]');
  assert.match(problem.errors[0].message, /SIREN/);
  problem = await assertProblem(await post(JSON.stringify(newFiche({ techniques: ['telepathie'] }))), 400, 'techniques[0]');
  assert.match(problem.errors[0].message, /code connu/);
  await assertProblem(await post(JSON.stringify(newFiche({ statut: 'arrete', motifArret: 'Trop cher', dateDebut: '2024-05-01', dateFin: '2023-01-01' }))), 400, 'dateFin');
  problem = await assertProblem(await post('{"titre": "sans fin'), 400);
  assert.match(problem.detail, /JSON mal formé/);
  problem = await assertProblem(await post(Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])), 400);
  assert.match(problem.detail, /UTF-8/);
  const huge = await post(JSON.stringify(newFiche({ description: 'x'.repeat(10 * 1024 * 1024) })));
  assert.equal(huge.status, 413);
  await assertProblem(await post(JSON.stringify(newFiche()), { ...auth, 'content-type': 'text/plain' }), 400, 'Content-Type');
  const after = (await (await get('/api/v1/fiches?limite=1')).json()).total;
  assert.equal(after, before);
});

test('authorities and territory search as JSON', async () => {
  const rennes = await (await get('/api/v1/collectivites/213502388')).json();
  assert.equal(rennes.nom, 'Rennes');
  assert.equal(rennes.type, 'commune');
  assert.ok(rennes.rattachements.some((p) => p.type === 'departement'));
  const found = await (await get('/api/v1/territoires?q=st%20etienne')).json();
  assert.equal(found[0].nom, 'Saint-Étienne');
  const byPostalCode = await (await get('/api/v1/territoires?q=35000')).json();
  assert.ok(byPostalCode.some((o) => o.nom === 'Rennes'));
  assert.equal(found[0].correspondance, undefined);
  const typo = await (await get('/api/v1/territoires?q=Marseile')).json();
  assert.equal(typo[0].nom, 'Marseille');
  assert.equal(typo[0].correspondance, 'nom-approchant');
  await assertProblem(await get('/api/v1/territoires'), 400, 'q');
});

test('full-text search as JSON with facet counts', async () => {
  const response = await get('/api/v1/recherche?q=fuites+d%27eau&limite=5');
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.ok(body.total >= 1);
  assert.ok(body.resultats.length >= 1 && body.resultats.length <= 5);
  assert.match(body.resultats[0].titre, /fuite/i);
  assert.ok(body.facettes.domaine['eau-assainissement'] >= 1);
  await assertProblem(await get('/api/v1/recherche?tri=hasard'), 400, 'tri');
  await assertProblem(await get('/api/v1/recherche?page=0'), 400, 'page');
});

test('the search API says how results answer the words, and takes corriger=non', async () => {
  const search = async (q, extra = '') => (await get('/api/v1/recherche?q=' + encodeURIComponent(q) + extra)).json();
  const plain = await search('fuites d’eau');
  assert.equal(plain.correspondance, 'tous-les-mots');
  assert.equal(plain.suggestion, null);
  const corrected = await search('inondasion');
  assert.equal(corrected.correspondance, 'orthographe-corrigee');
  assert.equal(corrected.requeteCorrigee, 'inondation');
  assert.ok(corrected.total >= 1);
  const refused = await search('inondasion', '&corriger=non');
  assert.equal(refused.correspondance, 'aucune');
  assert.equal(refused.total, 0);
  const closest = await search('prévision des crues zorglub');
  assert.equal(closest.correspondance, 'plus-proches');
  assert.deepEqual(closest.motsIgnores, ['zorglub']);
  assert.equal(closest.totalTousLesMots, 0);
  const question = await search('quelles collectivités utilisent l’IA pour traduire à l’accueil ?');
  assert.ok(question.motsNonFiltrants.includes('ia') && question.motsNonFiltrants.includes('quelles'), JSON.stringify(question.motsNonFiltrants));
  assert.ok(question.total >= 1);
  const bad = await get('/api/v1/recherche?q=x&corriger=peut-etre');
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).errors[0].champ, 'corriger');
});

test('a search with nothing relevant offers the most consulted fiches, counted from the pages served', async () => {
  const listed = await (await get('/api/v1/recherche?q=' + encodeURIComponent('prévision des crues') + '&limite=1')).json();
  const fiche = listed.resultats[0];
  const page = `/fiches/${fiche.id}-x`;  // a wrong slug redirects (301) and is not counted
  const canonical = (await get(page)).headers.get('location');
  for (let i = 0; i < 25; i++) assert.equal((await get(canonical)).status, 200);
  // The counts reach the database every 5 seconds.
  let html = '';
  for (let attempt = 0; attempt < 40; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    html = await (await get('/bibliotheque?q=' + encodeURIComponent('zzqx wwyv ' + attempt))).text();
    if (html.includes('Les fiches les plus consultées')) break;
  }
  const waysOn = html.slice(html.indexOf('Les fiches les plus consultées'));
  assert.ok(waysOn.length > 0 && html.includes('Les fiches les plus consultées'), 'most consulted fiches offered');
  const firstCard = waysOn.match(/<h3><a href="[^"]*">([^<]*)<\/a><\/h3>/);
  // Pages put no-break spaces before French punctuation and inside guillemets.
  assert.equal(firstCard?.[1].replace(/[\u00a0\u202f]/g, ' '), fiche.titre);
});

test('suggestions: fiches, authorities and providers; authorities only for the picker', async () => {
  const all = await (await get('/api/v1/suggestions?q=civi')).json();
  const provider = all.find((s) => s.type.startsWith('fournisseur'));
  assert.ok(provider, JSON.stringify(all));
  assert.equal(provider.libelle, 'Civitek');
  assert.equal(provider.url, '/bibliotheque?q=%22Civitek%22');
  const searched = await (await get(provider.url.replace('/bibliotheque', '/api/v1/recherche'))).json();
  assert.equal(searched.total, Number(provider.type.match(/(\d+) fiches?/)[1]));
  const picker = await (await get('/api/v1/suggestions?q=rennes&type=collectivite')).json();
  assert.ok(picker.length >= 1);
  assert.ok(picker.every((s) => /^\d{9}$|^[a-z]+-/.test(s.code) && s.type !== 'fiche' && !s.type.startsWith('fournisseur')));
  assert.equal(picker[0].code, '213502388');
  assert.deepEqual(await (await get('/api/v1/suggestions?q=r')).json(), []);
});

test('pages, JSON and stylesheets go compressed to clients that accept gzip, identical once inflated', async () => {
  const { request } = await import('node:http');
  const { gunzipSync } = await import('node:zlib');
  const raw = (path, encoding) => new Promise((resolve, reject) => {
    const headers = encoding ? { 'accept-encoding': encoding } : {};
    request(server.url + path, { headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject).end();
  });
  for (const path of ['/bibliotheque', '/bibliotheque?q=eau', '/api/v1/recherche?q=eau', '/static/vendor/pico.min.css']) {
    const plain = await raw(path);
    const compressed = await raw(path, 'gzip, deflate, br');
    assert.equal(plain.headers['content-encoding'], undefined, path);
    assert.equal(compressed.headers['content-encoding'], 'gzip', path);
    assert.match(compressed.headers.vary, /Accept-Encoding/, path);
    assert.ok(compressed.body.length * 2 < plain.body.length, `${path}: ${compressed.body.length} / ${plain.body.length}`);
    assert.equal(gunzipSync(compressed.body).toString(), plain.body.toString(), path);
  }
  const refused = await raw('/bibliotheque', 'gzip;q=0, identity');
  assert.equal(refused.headers['content-encoding'], undefined);
});

test('the search API takes the library’s index-only filters, with disjunctive counts', async () => {
  const all = await (await get('/api/v1/recherche?limite=1')).json();
  const [region, count] = Object.entries(all.facettes.region)[0];
  const filtered = await (await get(`/api/v1/recherche?region=${region}&limite=1`)).json();
  assert.equal(filtered.total, count);
  assert.deepEqual(filtered.facettes.region, all.facettes.region, 'a facet’s counts ignore its own selection');
  const small = await (await get('/api/v1/recherche?taille=moins-3500&limite=50')).json();
  assert.equal(small.total, all.facettes.taille['moins-3500']);
});

test('metrics count requests by route and status', async () => {
  await get('/bibliotheque');
  const text = await (await get('/metrics')).text();
  assert.match(text, /vigie_http_requests_total\{route="library",status="200"\} \d+/);
  assert.match(text, /vigie_http_request_duration_seconds_bucket\{route="library",le="\+Inf"\} \d+/);
});

test('the library lists the régions and départements of its facets by name, accents ignored', async () => {
  const html = await (await get('/bibliotheque')).text();
  for (const param of ['region', 'departement']) {
    const names = [...html.matchAll(new RegExp(`id="f-${param}-[^"]+" name="${param}" value="[^"]+">\\s*([^<]+?)\\s*<`, 'g'))]
      .map((m) => m[1]);
    assert.ok(names.length >= 5, `${param}: ${names.length} options found`);
    const sorted = [...names].sort((a, b) => a.localeCompare(b, 'fr', { sensitivity: 'base' }));
    assert.deepEqual(names, sorted, `${param} options in alphabetical order`);
  }
});
