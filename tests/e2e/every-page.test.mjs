// Every page of the site, on a phone (390 px wide) and for French typography: no sideways
// scroll, the main menu folded behind its button, the library's results before its side
// panels, axe-core without violations, and no plain space where French punctuation wants a
// no-break one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, axeViolations } from '../support/server.mjs';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

let server;
let browser;
let page;
let everyPage;

// The pages with fixed addresses, then those reached through the demo data or a form.
const FIXED_PAGES = [
  '/',
  '/bibliotheque',
  '/bibliotheque?q=eau',
  '/bibliotheque?q=inondasion',
  '/bibliotheque?q=' + encodeURIComponent('prévision des crues zorglub'),
  '/bibliotheque?q=' + encodeURIComponent('recette des crêpes bretonnes'),
  '/bibliotheque?comme=213502388',
  '/bibliotheque?comme=Saint-Denis&choix=1',
  '/bibliotheque?domaine=mobilite&page=1&tri=titre',
  '/fiches/1-x',
  '/fiches/1-x/contact',
  '/collectivites/213502388',
  '/territoires',
  '/territoires?q=saint',
  '/territoires?q=Marseile',
  '/carte',
  '/carte?niveau=regions&domaine=dechets-proprete',
  '/outils',
  '/outils/classification-ai-act',
  '/outils/classification-ai-act?mode=page',
  '/outils/evaluation-impact',
  '/outils/analyse-droits-fondamentaux',
  '/outils/analyse-droits-fondamentaux?fiche=1',
  '/a-propos',
  '/mentions-legales',
  '/accessibilite',
  '/contact',
  '/credits',
  '/page-inexistante',
  '/fiches/999999-x',
  '/outils/evaluations/' + 'A'.repeat(43),
];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await page.setViewportSize(DESKTOP);
  // The authorities above Rennes (EPCI, département, région) and an AI Act result, saved.
  const rennes = await (await fetch(server.url + '/api/v1/collectivites/213502388')).json();
  const parents = rennes.rattachements.map((p) => `/collectivites/${p.code}`);
  await page.goto(server.url + '/outils/classification-ai-act');
  for (let step = 0; step < 30 && !page.url().includes('/resultat'); step++) {
    await page.locator('.tool-step input[type=radio], .tool-step input[type=checkbox]').first().check();
    await page.click('.tool-step button[type=submit]');
    await page.waitForLoadState();
  }
  const result = new URL(page.url());
  await page.click('.save-form button');
  await page.waitForURL(/\/outils\/evaluations\/[A-Za-z0-9_-]{43}$/);
  const saved = new URL(page.url());
  everyPage = [...FIXED_PAGES, ...parents, result.pathname + result.search, saved.pathname];
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('every page at 390 px: no sideways scroll, the menu folded, no axe-core violation', async () => {
  await page.setViewportSize(PHONE);
  for (const path of everyPage) {
    await page.goto(server.url + path);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > PHONE.width) {
      const widest = await page.evaluate((limit) => [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > limit + 1)
        .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className}`), PHONE.width);
      assert.fail(`${path}: ${width} px wide (${widest.join(', ')})`);
    }
    const toggle = page.locator('.menu-toggle');
    assert.equal(await toggle.isVisible(), true, `${path}: menu button shown`);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false', path);
    assert.equal(await page.locator('#menu-principal').isVisible(), false, `${path}: menu folded`);
    assert.deepEqual(await axeViolations(page), [], `${path}: axe-core violations at 390 px`);
  }
});

test('the menu opens and folds again on a phone, and stays open on a wide screen', async () => {
  await page.setViewportSize(PHONE);
  await page.goto(server.url + '/');
  const toggle = page.locator('.menu-toggle');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  const library = page.locator('#menu-principal a', { hasText: 'Bibliothèque' });
  assert.equal(await library.isVisible(), true);
  assert.deepEqual(await axeViolations(page), [], 'menu open');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways scroll, menu open');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Escape');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await library.isVisible(), false);
  await toggle.click();
  await library.click();
  await page.waitForURL(/\/bibliotheque$/);

  await page.setViewportSize(DESKTOP);
  assert.equal(await page.locator('.menu-toggle').isVisible(), false);
  assert.equal(await page.locator('#menu-principal a', { hasText: 'Carte' }).isVisible(), true);
});

test('without JavaScript the menu is shown in full on a phone', async () => {
  const plain = await launchBrowser({ javaScript: false });
  const noScript = await plain.context.newPage();
  await noScript.setViewportSize(PHONE);
  await noScript.goto(server.url + '/credits');
  assert.equal(await noScript.locator('.menu-toggle').isVisible(), false);
  assert.equal(await noScript.locator('#menu-principal a', { hasText: 'Outils' }).isVisible(), true);
  assert.ok(await noScript.evaluate(() => document.documentElement.scrollWidth <= 390));
  await plain.close();
});

test('library: the results come before the map and the filters on a phone, beside them on a wide screen', async () => {
  await page.setViewportSize(PHONE);
  await page.goto(server.url + '/bibliotheque?q=eau');
  const top = (selector) => page.locator(selector).first().evaluate((e) => e.getBoundingClientRect().top);
  const left = (selector) => page.locator(selector).first().evaluate((e) => e.getBoundingClientRect().left);
  const results = await top('.results .fiche-card');
  assert.ok(results < await top('.filters details'), 'results above the facets');
  assert.ok(results < await top('.map-panel'), 'results above the map');
  assert.ok(results < await top('#form-filtres'), 'results above the filters form');
  // A link leads from the results to the side panels.
  await page.click('.to-filters a');
  assert.match(page.url(), /#filtres$/);

  await page.setViewportSize(DESKTOP);
  assert.ok(await left('.filters') < await left('.results'), 'filters on the left');
  assert.ok(Math.abs(await top('.filters') - await top('.results')) < 5, 'side by side');
  assert.equal(await page.locator('.to-filters').isVisible(), false);
});

test('French typography on every page: no plain space before « : ; ! ? » nor inside guillemets', async () => {
  await page.setViewportSize(DESKTOP);
  const problems = [];
  for (const path of everyPage) {
    await page.goto(server.url + path);
    const found = await page.evaluate(() => {
      const verbatim = new Set(['SCRIPT', 'STYLE', 'PRE', 'CODE', 'KBD', 'SAMP', 'TEXTAREA']);
      const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
      const wrong = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        let skip = false;
        for (let e = node.parentElement; e; e = e.parentElement) if (verbatim.has(e.tagName)) { skip = true; break; }
        if (skip) continue;
        const text = node.textContent;
        // A mark after a plain space, followed by what ends French punctuation (not « ?q= »).
        const mark = /\u0020[:;!?](?![\p{L}\p{N}/=&])/u.exec(text);
        const guillemet = /«\u0020|\u0020»/.exec(text);
        for (const m of [mark, guillemet]) {
          if (m) wrong.push(JSON.stringify(text.slice(Math.max(0, m.index - 30), m.index + 10)));
        }
      }
      return wrong;
    });
    for (const f of found) problems.push(`${path}: ${f}`);
  }
  assert.deepEqual(problems, []);
});

test('French typography: the narrow and plain no-break spaces as STYLE says, times and addresses untouched', async () => {
  await page.goto(server.url + '/territoires');
  const help = await page.locator('#territoire-aide').textContent();
  assert.ok(help.includes('facultatifs\u202f; «\u00a0st\u00a0» vaut «\u00a0saint\u00a0».'), JSON.stringify(help));
  const footer = await page.locator('.site-footer').textContent();
  assert.ok(footer.includes('Accessibilité\u00a0: partiellement conforme'), footer);
  // Attributes are left as written by the pass (placeholders, shown, carry their own no-break
  // space in the templates).
  assert.equal(await page.locator('#territoire-q').getAttribute('placeholder'), 'ex.\u00a0: Saint-Étienne, 35000, 2A004');
  await page.goto(server.url + '/carte');
  assert.match(await page.locator('a.carte-zone[data-code="01"]').getAttribute('aria-label'), /^Ain : /);
  const html = await (await fetch(server.url + '/credits')).text();
  assert.ok(html.includes('<code>@etalab/decoupage-administratif</code>'));
  assert.ok(!/https?:\u00a0/.test(html), 'addresses untouched');
});
