// Issue 9, "Survives abuse and faults": the server's strictness, HTTP caching, CORS, access to
// /metrics and connection caps, against the real server over HTTP and raw sockets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startServer, adminToken } from '../support/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

const jsonHeaders = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };

function get(path, headers = {}) {
  return fetch(server.url + path, { headers, redirect: 'manual' });
}

function newFiche(overrides = {}) {
  return {
    titre: 'Tri des courriers entrants', resume: 'Un outil oriente les courriers.', porteurs: ['213502388'],
    domaines: ['urbanisme-logement'], finalites: ['automatisation'], techniques: ['tal'], publics: ['agents'],
    statut: 'experimentation', etatPublication: 'publiee', ...overrides,
  };
}

async function createFiche(overrides) {
  const created = await fetch(server.url + '/api/v1/fiches', { method: 'POST', body: JSON.stringify(newFiche(overrides)), headers: jsonHeaders });
  assert.equal(created.status, 201);
  return { fiche: await created.json(), etag: created.headers.get('etag') };
}

// Sends `text` on a raw socket and resolves with everything the server sends until it closes
// (or `ms` pass).
function raw(url, text, ms = 3000) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    let received = '';
    const timer = setTimeout(() => { socket.destroy(); resolve(received); }, ms);
    socket.on('data', (chunk) => { received += chunk.toString('latin1'); });
    socket.on('end', () => { clearTimeout(timer); socket.destroy(); resolve(received); });
    socket.on('error', (error) => { clearTimeout(timer); reject(error); });
  });
}

async function pageCacheCounters() {
  const text = await (await get('/metrics')).text();
  const number = (name) => Number(text.match(new RegExp(`^${name} (\\d+)$`, 'm'))?.[1]);
  return { renders: number('vigie_page_cache_renders_total'), hits: number('vigie_page_cache_hits_total') };
}

test('an HTTP/1.1 request without Host, or with two, is 400', async () => {
  const missing = await raw(server.url, 'GET / HTTP/1.1\r\n\r\n');
  assert.match(missing, /^HTTP\/1\.1 400 /);
  const twice = await raw(server.url, 'GET / HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n');
  assert.match(twice, /^HTTP\/1\.1 400 /);
  const once = await raw(server.url, 'GET /healthz HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n');
  assert.match(once, /^HTTP\/1\.1 200 /);
});

test('the Bearer scheme is case-insensitive', async () => {
  const created = await fetch(server.url + '/api/v1/fiches', {
    method: 'POST', body: JSON.stringify(newFiche()),
    headers: { authorization: `bearer ${adminToken}`, 'content-type': 'application/json' },
  });
  assert.equal(created.status, 201);
  const shouted = await fetch(server.url + '/api/v1/fiches', {
    method: 'POST', body: JSON.stringify(newFiche()), headers: { ...jsonHeaders, authorization: `BEARER ${adminToken}` },
  });
  assert.equal(shouted.status, 201);
});

test('a repeated JSON member is refused with a French problem naming the field', async () => {
  const body = JSON.stringify(newFiche()).replace('{', '{"titre":"Premier titre",');
  const response = await fetch(server.url + '/api/v1/fiches', { method: 'POST', body, headers: jsonHeaders });
  assert.equal(response.status, 400);
  assert.match(response.headers.get('content-type'), /^application\/problem\+json/);
  const problem = await response.json();
  assert.ok(problem.errors.some((e) => e.champ === 'titre'), JSON.stringify(problem));
  assert.match(problem.detail, /« titre » apparaît plusieurs fois/);
});

test('If-Match: a malformed, weak or stale tag is 412; the current tag or * is accepted', async () => {
  const { fiche, etag } = await createFiche();
  const put = (ifMatch, overrides = {}) => fetch(server.url + `/api/v1/fiches/${fiche.id}`, {
    method: 'PUT', body: JSON.stringify(newFiche(overrides)), headers: { ...jsonHeaders, 'if-match': ifMatch },
  });
  for (const bad of ["n'importe quoi", '2', `W/${etag}`, `"${fiche.id}-9"`, `${fiche.id}-1`]) {
    const response = await put(bad);
    assert.equal(response.status, 412, bad);
    assert.match(response.headers.get('content-type'), /^application\/problem\+json/);
  }
  const updated = await put(`"autre", ${etag}`, { titre: 'Tri des courriers, version 2' });
  assert.equal(updated.status, 200);
  assert.equal((await put(etag)).status, 412, 'stale after the update');
  assert.equal((await put('*', { titre: 'Tri des courriers, version 3' })).status, 200);
  // Without If-Match, the revision in the document: a stale one is a conflict.
  const stale = await fetch(server.url + `/api/v1/fiches/${fiche.id}`, {
    method: 'PUT', body: JSON.stringify(newFiche({ revision: 1 })), headers: jsonHeaders,
  });
  assert.equal(stale.status, 409);
  const archive = (ifMatch) => fetch(server.url + `/api/v1/fiches/${fiche.id}`, { method: 'DELETE', headers: { ...jsonHeaders, 'if-match': ifMatch } });
  assert.equal((await archive('garbage')).status, 412);
  assert.equal((await archive(`"${fiche.id}-3"`)).status, 200);
});

test('public pages and API reads carry a validator and a caching policy, and answer 304', async () => {
  for (const path of ['/', '/bibliotheque?q=eau', '/api/v1/fiches?limite=2', '/api/v1/recherche?q=eau']) {
    const first = await get(path);
    assert.equal(first.status, 200, path);
    const etag = first.headers.get('etag');
    assert.match(etag ?? '', /^"\d+-/, path);
    assert.equal(first.headers.get('cache-control'), 'public, no-cache', path);
    const again = await get(path, { 'if-none-match': etag });
    assert.equal(again.status, 304, path);
    assert.equal(again.headers.get('etag'), etag, path);
    assert.equal(again.headers.get('cache-control'), 'public, no-cache', path);
    assert.equal(await again.text(), '', path);
    assert.equal((await get(path, { 'if-none-match': `"autre", W/${etag}` })).status, 304, `${path}: weak, in a list`);
  }
  // A write moves the change sequence: the old validator no longer matches.
  const before = (await get('/')).headers.get('etag');
  await createFiche({ titre: 'Un changement visible' });
  const after = await get('/', { 'if-none-match': before });
  assert.equal(after.status, 200);
  assert.notEqual(after.headers.get('etag'), before);
});

test('pages carrying a CSRF token, and error pages, are never stored', async () => {
  const form = await get('/outils/analyse-droits-fondamentaux');
  assert.equal(form.status, 200);
  assert.match(form.headers.get('cache-control'), /no-store/);
  assert.match((await get('/page-qui-n-existe-pas')).headers.get('cache-control'), /no-store/);
  assert.match((await get('/static/css/vigie.css')).headers.get('cache-control'), /^public/);
});

test('parameters a page does not read are served from the page cache', async () => {
  await get('/bibliotheque?q=voirie&domaine=mobilite-transports');
  const before = await pageCacheCounters();
  for (let i = 0; i < 20; i++) {
    const response = await get(`/bibliotheque?utm_source=lettre&domaine=mobilite-transports&_=${Math.random()}&q=voirie&x${i}=${i}`);
    assert.equal(response.status, 200);
  }
  const after = await pageCacheCounters();
  assert.equal(after.renders, before.renders, 'no new render');
  assert.ok(after.hits >= before.hits + 20, `${before.hits} -> ${after.hits}`);

  // The questionnaire reads its questions' ids and its own parameters, nothing else.
  const questionnaire = await (await get('/outils/classification-ai-act?systeme-ia=oui')).text();
  const withJunk = await get('/outils/classification-ai-act?fbclid=abc&systeme-ia=oui');
  assert.equal(await withJunk.text(), questionnaire);
  assert.equal((await pageCacheCounters()).renders, after.renders + 1);
});

test('the read API is open to other origins; writes are not', async () => {
  const read = await get('/api/v1/fiches?limite=1', { origin: 'https://reutilisateur.example' });
  assert.equal(read.headers.get('access-control-allow-origin'), '*');
  const preflight = await fetch(server.url + '/api/v1/recherche', {
    method: 'OPTIONS', headers: { origin: 'https://reutilisateur.example', 'access-control-request-method': 'GET' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  const writePreflight = await fetch(server.url + '/api/v1/fiches', {
    method: 'OPTIONS', headers: { origin: 'https://attaquant.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
  });
  assert.equal(writePreflight.headers.get('access-control-allow-origin'), null);
  const write = await fetch(server.url + '/api/v1/fiches', { method: 'POST', body: JSON.stringify(newFiche()), headers: jsonHeaders });
  assert.equal(write.headers.get('access-control-allow-origin'), null);
  assert.equal((await get('/bibliotheque')).headers.get('access-control-allow-origin'), null);
});

test('a form posted from another origin is refused even with a valid cookie and token', async () => {
  const form = await get('/outils/analyse-droits-fondamentaux');
  const cookie = form.headers.get('set-cookie').split(';')[0];
  assert.match(cookie, /^vigie_csrf=[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{43}$/, 'a server-issued, signed value');
  const token = (await form.text()).match(/name="csrf" value="([^"]+)"/)[1];
  const post = (origin, cookieValue = cookie) => fetch(server.url + '/outils/analyse-droits-fondamentaux', {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieValue, ...(origin ? { origin } : {}) },
    body: `csrf=${encodeURIComponent(token)}`,
  });
  const foreign = await post('https://attaquant.example');
  assert.equal(foreign.status, 403);
  assert.match(await foreign.text(), /ne vient pas de Vigie/);
  assert.equal((await post('null')).status, 403);
  assert.notEqual((await post(server.url)).status, 403, 'the site’s own origin');
  assert.notEqual((await post(undefined)).status, 403, 'no Origin header');
  // A cookie value the client made up is not signed by the server.
  const planted = await get('/outils/analyse-droits-fondamentaux', { cookie: `vigie_csrf=${'A'.repeat(32)}` });
  assert.ok(planted.headers.get('set-cookie'), 'a made-up cookie is replaced');
  const plantedToken = (await planted.text()).match(/name="csrf" value="([^"]+)"/)[1];
  const withPlanted = await fetch(server.url + '/outils/analyse-droits-fondamentaux', {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `vigie_csrf=${'A'.repeat(32)}` },
    body: `csrf=${encodeURIComponent(plantedToken)}`,
  });
  assert.equal(withPlanted.status, 403);
});

test('metrics answer loopback clients, others only with the configured token; connections are capped', async () => {
  const metricsToken = 'jeton-de-supervision-0123456789abcdef';
  const guarded = await startServer({
    env: { VIGIE_METRICS_ALLOW: '192.0.2.1', VIGIE_METRICS_TOKEN: metricsToken, VIGIE_MAX_CONNECTIONS: '8', VIGIE_MAX_CONNECTIONS_PER_ADDRESS: '6' },
  });
  const sockets = [];
  try {
    assert.equal((await fetch(guarded.url + '/metrics')).status, 403);
    assert.equal((await fetch(guarded.url + '/metrics', { headers: { authorization: 'Bearer faux' } })).status, 403);
    const allowed = await fetch(guarded.url + '/metrics', { headers: { authorization: `Bearer ${metricsToken}` } });
    assert.equal(allowed.status, 200);
    assert.match(await allowed.text(), /vigie_http_requests_total/);

    // Idle sockets, more than the caps: a real request still gets its answer at once.
    const { hostname, port } = new URL(guarded.url);
    let closedByServer = 0;
    for (let i = 0; i < 30; i++) {
      sockets.push(await new Promise((resolve, reject) => {
        const socket = connect(Number(port), hostname, () => resolve(socket));
        socket.on('error', () => {});
        socket.once('error', reject);
        socket.on('end', () => { closedByServer++; });
      }));
    }
    await new Promise((r) => setTimeout(r, 100));
    const start = Date.now();
    const response = await raw(guarded.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.match(response, /^HTTP\/1\.1 200 /);
    assert.ok(Date.now() - start < 2000, `${Date.now() - start} ms`);
    assert.ok(closedByServer >= 30 - 8, `idle connections closed by the server: ${closedByServer}`);
  } finally {
    for (const socket of sockets) socket.destroy();
    await guarded.stop();
  }
});
