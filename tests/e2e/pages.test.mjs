// The pages in headless Chromium: what a person sees and does, and axe-core on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, axeViolations } from '../support/server.mjs';

let server;
let browser;
let page;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.context.newPage();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function visit(path) {
  const response = await page.goto(server.url + path);
  assert.ok(response, path);
  return response;
}

async function assertAccessible(label) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${label}: axe-core violations`);
}

test('home: programme, key figures, latest fiches and a search box leading to the library', async () => {
  const response = await visit('/');
  assert.equal(response.status(), 200);
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  assert.match(await page.locator('h1').innerText(), /intelligence artificielle/i);
  assert.equal(await page.locator('.key-figures li').count(), 4);
  assert.ok((await page.locator('.fiche-card').count()) >= 3);
  assert.match(await page.locator('.demo-banner').innerText(), /fictives/);
  assert.match(await page.locator('.site-footer').innerText(), /Accessibilité\s: partiellement conforme/);
  await assertAccessible('home');
  await page.fill('#recherche-accueil', 'eau');
  await page.press('#recherche-accueil', 'Enter');
  await page.waitForURL(/\/bibliotheque\?q=eau/);
  assert.ok((await page.locator('.fiche-card mark').count()) >= 1, 'matched words highlighted');
  await assertAccessible('library search');
});

test('library search forgives accents, plurals and synonyms', async () => {
  await visit('/bibliotheque?q=depot+sauvage');
  assert.match(await page.locator('.fiche-card h3').first().innerText(), /dépôts sauvages/i);
  await visit('/bibliotheque?q=chatbot');
  assert.match(await page.locator('.fiche-card h3').first().innerText(), /conversationnel/i);
  await visit('/bibliotheque?q=%22fuites%22+-montagne');
  const titles = await page.locator('.fiche-card h3').allInnerTexts();
  assert.ok(titles.length > 0 && titles.every((t) => !/montagne/i.test(t)), titles.join(' | '));
});

test('library search as people type: everyday words, a typo corrected at once with the way back, the closest fiches, nothing relevant with ways on', async () => {
  // Everyday words for administrative ones, and a long question whose question words do not filter.
  await visit('/bibliotheque?q=' + encodeURIComponent('ramassage des poubelles'));
  assert.match(await page.locator('.fiche-card h3').first().innerText(), /collecte des déchets/i);
  await visit('/bibliotheque?q=' + encodeURIComponent('comment une commune peut détecter les fuites d’eau avec l’IA ?'));
  assert.match(await page.locator('.fiche-card h3').first().innerText(), /fuites/i);
  await assertAccessible('long question');

  // A misspelt word alone: the correction is applied at once, and the person can go back.
  await visit('/bibliotheque?q=inondasion');
  const notice = page.locator('.search-notice');
  assert.match(await notice.innerText(), /Résultats pour «\sinondation\s»/);
  assert.ok((await page.locator('.fiche-card').count()) >= 1);
  await assertAccessible('corrected search');
  await notice.getByRole('link', { name: /Rechercher plutôt «\sinondasion\s»/ }).click();
  await page.waitForURL(/corriger=non/);
  assert.match(await page.locator('.search-notice').innerText(), /Aucune fiche ne correspond à «\sinondasion\s»/);

  // Some words in no fiche: the closest fiches, under an honest label naming the words left out.
  await visit('/bibliotheque?q=' + encodeURIComponent('prévision des crues zorglub'));
  const closest = await page.locator('.search-notice').innerText();
  assert.match(closest, /Aucune fiche ne contient tous vos mots\s; voici les plus proches/);
  assert.match(closest, /«\szorglub\s» ne figure dans aucune fiche/);
  assert.match(await page.locator('.fiche-card h3').first().innerText(), /crues/i);
  await assertAccessible('closest fiches');

  // Nothing relevant: said plainly, never a page of noise, with ways on.
  await visit('/bibliotheque?q=' + encodeURIComponent('recette des crêpes bretonnes'));
  assert.match(await page.locator('.search-notice').innerText(), /Aucune fiche ne correspond/);
  assert.equal(await page.locator('.results > .fiche-list .fiche-card').count(), 0);
  const waysOn = page.locator('.ways-on');
  assert.ok((await waysOn.locator('.domain-links a').count()) >= 10);
  assert.equal(await waysOn.getByRole('link', { name: /carte/i }).count(), 1);
  assert.ok((await waysOn.locator('.fiche-card').count()) >= 1);
  assert.match(await waysOn.locator(':scope > h3').last().innerText(), /Les fiches les plus consultées|Les dernières fiches publiées/);
  await assertAccessible('nothing relevant');
  await page.setViewportSize({ width: 390, height: 800 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no horizontal scroll at 390 px');
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('library: filters by checkbox, shareable URL, pagination and sort', async () => {
  await visit('/bibliotheque');
  const allLabel = await page.locator('#titre-resultats').innerText();
  const all = Number(allLabel.replace(/\D.*$/s, '').replace(/\s/g, ''));
  assert.ok(all >= 80, allLabel);
  assert.equal(await page.locator('.fiche-card').count(), 20);
  await assertAccessible('library');

  await page.locator('details', { hasText: 'Domaine' }).locator('summary').click();
  await page.check('#f-domaine-mobilite');
  await page.click('#form-filtres button[type=submit]');
  await page.waitForURL(/domaine=mobilite/);
  const filteredCount = await page.locator('.fiche-card').count();
  assert.ok(filteredCount > 0 && filteredCount < 20);
  assert.equal(await page.locator('#f-domaine-mobilite').isChecked(), true);
  assert.ok(await page.locator('.active-filters a', { hasText: 'Mobilité' }).count() === 1);
  await assertAccessible('library filtered');

  await visit('/bibliotheque?page=2&tri=titre');
  assert.equal(await page.locator('.pagination [aria-current="page"]').innerText(), '2');
  const titles = await page.locator('.fiche-card h3').allInnerTexts();
  const sorted = [...titles].sort((a, b) => a.localeCompare(b, 'fr', { sensitivity: 'base' }));
  assert.deepEqual(titles, sorted);
});

test('a fiche: sections, owners linked, demonstration notice, related fiches', async () => {
  await visit('/bibliotheque');
  await page.locator('.fiche-card h3 a').first().click();
  await page.waitForURL(/\/fiches\/\d+-/);
  for (const heading of ['Identité', 'Finalité et contexte', 'Fonctionnement', 'Données', 'Avancement et calendrier',
    'Coût et financement', 'Résultats et évaluation', 'Risques et garanties', 'Métiers et compétences', 'Réutilisation', 'Contact']) {
    assert.equal(await page.locator('h2', { hasText: heading }).count() >= 1, true, heading);
  }
  assert.match(await page.locator('.demo-notice').innerText(), /fictif/);
  assert.ok((await page.locator('.fiche-header .owners a').count()) >= 1);
  assert.ok((await page.locator('.related .fiche-card').count()) >= 1);
  assert.equal(await page.content().then((html) => /@[a-z0-9-]+\.example/.test(html)), false, 'e-mail hidden from the page');
  await assertAccessible('fiche');
  await page.click('text=Afficher l’adresse électronique');
  assert.match(await page.locator('main a[href^="mailto:"]').innerText(), /@/);
  await assertAccessible('fiche contact');
});

test('an authority: identity, parents, members, fiches', async () => {
  await visit('/collectivites/213502388');
  assert.equal(await page.locator('h1').innerText(), 'Rennes');
  assert.match(await page.locator('main').innerText(), /Département/);
  assert.ok((await page.locator('#comme-moi tbody tr').count()) >= 1, 'authorities like this one');
  await assertAccessible('commune');
  const epci = await (await fetch(server.url + '/api/v1/collectivites/213502388')).json();
  const parentEpci = epci.rattachements.find((p) => p.type === 'epci');
  assert.ok(parentEpci);
  await visit(`/collectivites/${parentEpci.code}`);
  assert.ok((await page.locator('#h-membres + ul li').count()) > 10);
  await assertAccessible('epci');
});

test('territory search: accents, saint/st, postal code', async () => {
  await visit('/territoires');
  await assertAccessible('territories empty');
  await page.fill('#territoire-q', 'st etienne');
  await page.click('main form[role=search] button');
  await page.waitForURL(/q=st\+etienne|q=st%20etienne/);
  assert.equal(await page.locator('tbody tr th a').first().innerText(), 'Saint-Étienne');
  await assertAccessible('territories results');
  await visit('/territoires?q=35000');
  assert.ok((await page.locator('tbody tr th a', { hasText: 'Rennes' }).count()) >= 1);
  // A typo in the name: the closest names, said as such.
  await visit('/territoires?q=Marseile');
  assert.match(await page.locator('#h-resultats-territoires').innerText(), /Aucune collectivité ne s’appelle «\sMarseile\s»\s; noms les plus proches/);
  assert.equal(await page.locator('tbody tr th a').first().innerText(), 'Marseille');
  await assertAccessible('territories closest names');
});

test('informational pages are accessible', async () => {
  for (const path of ['/mentions-legales', '/accessibilite', '/contact', '/credits', '/a-propos', '/page-inexistante']) {
    await visit(path);
    await assertAccessible(path);
  }
});

test('search box suggestions, with the keyboard alone and announced', async () => {
  await visit('/');
  const input = page.locator('#recherche-entete');
  assert.equal(await input.getAttribute('role'), 'combobox');
  await input.focus();
  await page.keyboard.type('dépôts', { delay: 20 });
  await page.waitForSelector('.autocomplete-list li[role=option]');
  assert.equal(await input.getAttribute('aria-expanded'), 'true');
  assert.match(await page.locator('[role=status]').first().innerText(), /suggestions? disponibles?/);
  await assertAccessible('autocomplete open');
  await page.keyboard.press('ArrowDown');
  const activeId = await input.getAttribute('aria-activedescendant');
  assert.ok(activeId);
  assert.equal(await page.locator(`#${activeId}`).getAttribute('aria-selected'), 'true');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/fiches\/\d+-/);
  assert.match(await page.locator('h1').innerText(), /dépôts sauvages/i);
});

test('map: départements coloured by count, a click filters the library, the same figures as a table', async () => {
  await visit('/carte?domaine=dechets-proprete');
  assert.equal(await page.locator('svg a.carte-zone').count(), 101);
  assert.ok((await page.locator('#tableau-carte + div tbody tr').count()) === 101);
  await assertAccessible('map');
  await page.locator('svg a.carte-zone[data-code="22"]').click();
  await page.waitForURL(/\/bibliotheque\?.*departement=22/);
  assert.match(page.url(), /domaine=dechets-proprete/);
  assert.ok((await page.locator('.fiche-card').count()) >= 1);
  assert.equal(await page.locator('#f-departement-22').isChecked(), true);
});

test('a fiche: « Aussi déployé par » lists the authorities that reuse it', async () => {
  // Demo fiche 2 declares it reuses fiche 1.
  const reuse = await (await fetch(server.url + '/api/v1/fiches/2')).json();
  assert.deepEqual(reuse.relations.map((r) => [r.type, r.fiche]), [['reutilise', 1]]);
  await visit('/fiches/1-x');
  const deployed = page.locator('ul.deployed-by li');
  assert.ok((await deployed.count()) >= 1);
  const first = await deployed.first().innerText();
  assert.match(first, /réutilise ce projet/);
  assert.ok(first.includes(reuse.titre), first);
  await assertAccessible('fiche with deployments');
});

test('library: « Collectivités comme la mienne » without JavaScript, then with the keyboard', async () => {
  // Without JavaScript: a typed name is resolved on the server, then kind and size band filter.
  const plain = await launchBrowser({ javaScript: false });
  const noScript = await plain.context.newPage();
  await noScript.goto(server.url + '/bibliotheque');
  await noScript.fill('#comme', 'Lannion');
  await noScript.click('.like-mine-form button');
  await noScript.waitForURL(/comme=212201131/);
  assert.match(noScript.url(), /type=commune/);
  assert.match(noScript.url(), /taille=20000-100000/);
  assert.match(await noScript.locator('#titre-comme-la-mienne').innerText(), /Lannion/);
  assert.ok((await noScript.locator('.like-mine tbody tr').count()) >= 1, 'closest authorities with fiches');
  assert.equal(await noScript.locator('#f-type-commune').isChecked(), true);
  // An ambiguous name asks which one.
  await noScript.goto(server.url + '/bibliotheque?comme=Saint-Denis&choix=1');
  assert.ok((await noScript.locator('.like-mine li a').count()) >= 2);
  await noScript.locator('.like-mine li a', { hasText: 'Saint-Denis' }).first().click();
  await noScript.waitForURL(/comme=\d{9}.*taille=/);
  await plain.close();

  // With JavaScript: the box suggests authorities only; Enter picks one.
  await visit('/bibliotheque');
  const input = page.locator('#comme');
  await input.focus();
  await page.keyboard.type('Renn', { delay: 20 });
  await page.waitForSelector('#comme ~ .autocomplete-list li[role=option]');
  const options = await page.locator('#comme ~ .autocomplete-list li').allInnerTexts();
  assert.ok(options.every((o) => !/fiche/.test(o)), options.join(' | '));
  await assertAccessible('authority picker open');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForURL(/comme=\d{9}/);
  assert.match(await page.locator('#titre-comme-la-mienne').innerText(), /Rennes/);
  await assertAccessible('library like mine');
});

test('map by région, and the map panel of the library', async () => {
  await visit('/carte?niveau=regions&domaine=dechets-proprete');
  assert.equal(await page.locator('svg a.carte-zone').count(), 18);
  assert.equal(await page.locator('#tableau-carte + div tbody tr').count(), 18);
  assert.equal(await page.locator('.map-levels [aria-current=page]').innerText(), 'Par région');
  await assertAccessible('map by région');
  await page.locator('svg a.carte-zone[data-code="53"]').click();
  await page.waitForURL(/\/bibliotheque\?.*region=53/);
  assert.match(page.url(), /domaine=dechets-proprete/);
  assert.equal(await page.locator('#f-region-53').isChecked(), true);

  // The library's panel: the same search counted by département, a click adds the filter.
  await visit('/bibliotheque?q=eau');
  const panel = page.locator('details.map-panel');
  assert.equal(await panel.locator('svg a.carte-zone').count(), 101);
  await panel.locator('summary').click();
  await assertAccessible('library with the map panel open');
  const labels = await panel.locator('svg a.carte-zone').evaluateAll((links) => links.map((a) => a.getAttribute('aria-label')));
  const counted = labels.map((l) => Number((l.match(/: (\d+) fiches?$/) ?? [0, 0])[1])).reduce((a, b) => a + b, 0);
  const total = Number((await page.locator('#titre-resultats').innerText()).replace(/\D.*$/s, ''));
  assert.ok(counted >= total, `${counted} fiches by département for ${total} results (a fiche may have owners in several)`);
  const zone = panel.locator('svg a.carte-zone:not([aria-label$="aucune fiche"])').first();
  const code = await zone.getAttribute('data-code');
  await zone.click();
  await page.waitForURL(new RegExp(`departement=${code}`));
  assert.match(page.url(), /q=eau/);
});

test('keyboard: the skip link reaches the main content', async () => {
  await visit('/');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.textContent);
  assert.equal(focused, 'Aller au contenu');
});
