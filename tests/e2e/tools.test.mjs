// The assessment toolkit in headless Chromium: the AI Act pre-classification completed step by
// step with and without JavaScript and all on one page, axe-core on every step and result, and
// the printed result (a PDF from Chromium, read back with pdf.js) checked for its headings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, axeViolations, adminToken } from '../support/server.mjs';

let server;
let browser;
let noScript;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  noScript = await launchBrowser({ javaScript: false });
});
after(async () => {
  await browser?.close();
  await noScript?.close();
  await server?.stop();
});

// Answers the stepper, choosing for each question the choice `pick` gives (by its label).
async function walk(page, pick) {
  const asked = [];
  for (let step = 0; step < 30 && !page.url().includes('/resultat'); step++) {
    const question = (await page.locator('.tool-step legend').innerText()).trim();
    asked.push(question);
    const label = pick(question);
    await page.locator('.tool-step label', { hasText: label }).first().locator('input').check();
    await page.click('.tool-step button[type=submit]');
    await page.waitForLoadState();
  }
  return asked;
}

// A social-aid eligibility scoring tool, bought from a vendor, used by a large authority.
function socialAid(question) {
  if (/système d’intelligence artificielle/.test(question)) return 'Oui';
  if (/rôle/.test(question)) return 'tel que fourni';
  if (/exclusion/.test(question)) return 'aucune exclusion';
  if (/pratiques/.test(question)) return 'Aucune de ces pratiques';
  if (/annexe I|produit/.test(question)) return 'Non';
  if (/usages/.test(question)) return 'prestations';
  if (/situations/.test(question)) return 'Aucune';
  if (/décisions administratives individuelles/.test(question)) return 'Oui';
  if (/50 agents/.test(question)) return 'Plus de 50';
  return 'Non';
}

test('AI Act pre-classification step by step, accessible at every step, ends on high risk with its duties', async () => {
  const page = await browser.context.newPage();
  await page.goto(server.url + '/outils');
  assert.equal(await page.locator('h1').innerText(), 'Outils d’évaluation');
  assert.deepEqual(await axeViolations(page), [], 'tools index');
  await page.click('text=Pré-classification AI Act');
  await page.waitForURL(/classification-ai-act/);
  // Going on without answering points at the question.
  await page.click('.tool-step button[type=submit]');
  await page.waitForLoadState();
  assert.match(await page.locator('.field-error').innerText(), /Choisissez une réponse/);
  assert.equal(await page.locator('.tool-step fieldset').getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await axeViolations(page), [], 'step with an error');

  const visited = [];
  for (let step = 0; step < 30 && !page.url().includes('/resultat'); step++) {
    assert.deepEqual(await axeViolations(page), [], `step ${step + 1}`);
    const question = (await page.locator('.tool-step legend').innerText()).trim();
    visited.push(question);
    await page.locator('.tool-step label', { hasText: socialAid(question) }).first().locator('input').check();
    await page.click('.tool-step button[type=submit]');
    await page.waitForLoadState();
  }
  assert.ok(visited.length >= 5, visited.join(' | '));
  const outcomes = await page.locator('.outcome h3').allInnerTexts();
  assert.ok(outcomes.some((o) => /haut risque/i.test(o)), outcomes.join(' | '));
  const text = await page.locator('main').innerText();
  assert.match(text, /article 26/);
  assert.match(text, /article 27/, 'the fundamental-rights impact assessment of a public deployer');
  assert.match(text, /L311-3-1/, 'the CRPA mention on individual decisions');
  assert.ok((await page.locator('.checklist input[type=checkbox]').count()) >= 3);
  assert.deepEqual(await axeViolations(page), [], 'result');

  // The shareable link restores the same result.
  const shared = await page.locator('#lien-partage').inputValue();
  const again = await browser.context.newPage();
  await again.goto(server.url + new URL(shared).pathname + new URL(shared).search);
  assert.deepEqual(await again.locator('.outcome h3').allInnerTexts(), outcomes);

  // Going back to change an answer, then changing it back, gives the same result.
  await page.locator('.answers a', { hasText: 'modifier' }).first().click();
  await page.waitForURL(/modifier=/);
  const firstQuestion = (await page.locator('.tool-step legend').innerText()).trim();
  assert.equal(firstQuestion, visited[0]);
  assert.equal(await page.locator('.tool-step input:checked').count(), 1, 'the current answer is selected');

  // Printed: a PDF whose text holds the headings of the result, without the site's menus.
  await again.emulateMedia({ media: 'print' });
  const pdf = await again.pdf({ format: 'A4' });
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const documentPdf = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  let printed = '';
  for (let n = 1; n <= documentPdf.numPages; n++) {
    const content = await (await documentPdf.getPage(n)).getTextContent();
    printed += content.items.map((item) => item.str).join(' ') + '\n';
  }
  assert.match(printed, /Résultat de la pré-classification AI Act/);
  assert.match(printed, /Ce qui s’applique à votre système/);
  assert.match(printed, /Obligations de votre collectivité/);
  assert.ok(!printed.includes('Rechercher une fiche'), 'menus are not printed');
  await again.close();
  await page.close();
});

test('AI Act pre-classification without JavaScript: step by step, then all questions on one page', async () => {
  const page = await noScript.context.newPage();
  await page.goto(server.url + '/outils/classification-ai-act');
  const asked = await walk(page, socialAid);
  assert.ok(asked.length >= 5);
  assert.ok((await page.locator('.outcome h3').allInnerTexts()).some((o) => /haut risque/i.test(o)));

  await page.goto(server.url + '/outils/classification-ai-act?mode=page');
  const questions = await page.locator('.tool-all fieldset').count();
  assert.ok(questions >= asked.length, `${questions} questions on the page`);
  // A chatbot for citizens: not high risk, but transparency towards the people who use it.
  await page.locator('#question-systeme-ia label', { hasText: 'Oui' }).first().locator('input').check();
  await page.locator('#question-role input').first().check();
  await page.click('.tool-all button[type=submit]');
  await page.waitForURL(/resultat/);
  // Questions left unanswered on the path: the result says which one to answer.
  assert.match(await page.locator('.notice').innerText(), /Il manque une réponse/);
  await page.click('text=Répondre à cette question');
  await page.waitForURL(/modifier=/);
  assert.ok((await page.locator('.tool-step legend').count()) === 1);
  await page.close();
});

test('the API classifies answers as JSON and names the questions it cannot read', async () => {
  const post = (path, body) => fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const page = await browser.context.newPage();
  await page.goto(server.url + '/outils/classification-ai-act');
  await walk(page, socialAid);
  const query = new URL(page.url()).searchParams;
  const reponses = {};
  for (const [key, value] of query) reponses[key] = value.includes(',') ? value.split(',') : value;
  await page.close();
  // Multiple-choice answers are arrays in JSON.
  const tree = await post('/api/v1/outils/classification-ai-act', { reponses });
  let body = await tree.json();
  if (tree.status === 400) {
    for (const error of body.errors) {
      const id = error.champ.replace('reponses.', '');
      if (typeof reponses[id] === 'string') reponses[id] = [reponses[id]];
    }
    body = await (await post('/api/v1/outils/classification-ai-act', { reponses })).json();
  }
  assert.equal(body.complet, true, JSON.stringify(body));
  assert.ok(body.resultats.some((r) => /haut-risque/.test(r.id)), JSON.stringify(body.resultats.map((r) => r.id)));
  assert.ok(body.resultats.every((r) => r.reference && r.dateApplication));

  const bad = await post('/api/v1/outils/classification-ai-act', { reponses: { 'systeme-ia': 'peut-etre-bien', inconnue: 'x' } });
  assert.equal(bad.status, 400);
  assert.match(bad.headers.get('content-type'), /application\/problem\+json/);
  const problem = await bad.json();
  const fields = problem.errors.map((e) => e.champ);
  assert.ok(fields.includes('reponses.systeme-ia') && fields.includes('reponses.inconnue'), fields.join(', '));
  const notJson = await fetch(server.url + '/api/v1/outils/classification-ai-act', { method: 'POST', body: 'x' });
  assert.equal(notJson.status, 400);
});

test('impact assessment: questions appear as answers call for them, the level follows the score and the AI Act floor', async () => {
  // Filled in without JavaScript; axe-core (which needs scripts) then checks the same URLs.
  const checker = await browser.context.newPage();
  await checker.goto(server.url + '/outils/evaluation-impact');
  assert.deepEqual(await axeViolations(checker), [], 'empty form');
  const page = await noScript.context.newPage();
  await page.goto(server.url + '/outils/evaluation-impact');
  const first = await page.locator('.tool-section fieldset').count();
  // Answer every question shown with its first choice, until no new question appears.
  let shown = first;
  for (let round = 0; round < 4; round++) {
    for (const fieldset of await page.locator('.tool-section fieldset').all()) {
      if ((await fieldset.locator('input:checked').count()) === 0) await fieldset.locator('input').first().check();
    }
    await page.click('.tool-all button[type=submit]');
    await page.waitForLoadState();
    const now = await page.locator('.tool-section fieldset').count();
    if (now === shown && round > 0) break;
    shown = now;
  }
  const result = await page.locator('.tool-result').innerText();
  assert.match(result, /Niveau d’impact (I|II|III|IV)\b/);
  assert.match(result, /Qui approuve/);
  assert.match(result, /questions applicables à votre parcours/);
  assert.ok((await page.locator('.tool-result tbody tr').count()) >= 4, 'sub-scores by section');
  await checker.goto(page.url());
  assert.deepEqual(await axeViolations(checker), [], 'result');
  // With JavaScript, the same answers give the same result.
  assert.equal(await checker.locator('.impact-level').innerText(), await page.locator('.impact-level').innerText());
  await checker.close();
  const withoutFloor = result.match(/Niveau d’impact (\w+)/)[1];

  // The same answers for a high-risk system: at least level III.
  const url = new URL(page.url());
  url.searchParams.set('ai-act', 'haut-risque-annexe-iii');
  await page.goto(url.toString());
  const raised = await page.locator('.tool-result').innerText();
  assert.match(raised, /Niveau d’impact (III|IV)\b/);
  if (withoutFloor === 'I' || withoutFloor === 'II') assert.match(raised, /niveau III au moins/);

  // And through the API, the same level.
  const reponses = {};
  for (const [key, value] of new URL(page.url()).searchParams) {
    if (!['phase', 'ai-act', 'calculer'].includes(key)) reponses[key] = value;
  }
  const post = (body) => fetch(server.url + '/api/v1/outils/evaluation-impact', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  let response = await post({ phase: 'conception', reponses, resultatsAiAct: ['haut-risque-annexe-iii'] });
  let body = await response.json();
  if (response.status === 400) {
    for (const error of body.errors) {
      const id = error.champ.replace('reponses.', '');
      if (typeof reponses[id] === 'string') reponses[id] = reponses[id].split(',');
    }
    response = await post({ phase: 'conception', reponses, resultatsAiAct: ['haut-risque-annexe-iii'] });
    body = await response.json();
  }
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.equal(`Niveau d’impact ${body.niveau}`, raised.match(/Niveau d’impact \w+/)[0]);
  assert.ok(body.sections.length >= 4 && body.impactMaximum > 0);
  const missing = await post({ phase: 'conception', reponses: {} });
  assert.equal(missing.status, 400, 'the API requires every applicable answer');
  await page.close();
});

test('a result is saved under a private link, changed as a new version, and a forged form is refused', async () => {
  const page = await browser.context.newPage();
  await page.goto(server.url + '/outils/classification-ai-act');
  await walk(page, socialAid);
  await page.click('.save-form button');
  await page.waitForURL(/\/outils\/evaluations\/[A-Za-z0-9_-]{43}$/);
  const link = page.url();
  assert.match(await page.locator('h1').innerText(), /évaluation enregistrée/);
  assert.match(await page.locator('main').innerText(), /Haut risque/i);
  assert.ok((await page.locator('#lien-prive').inputValue()).endsWith(new URL(link).pathname), 'the private link is shown to keep');
  assert.equal(await page.locator('tbody tr').count(), 1);
  assert.deepEqual(await axeViolations(page), [], 'saved assessment');

  // Change an answer from the saved result (through the questionnaire), save again: version 2,
  // version 1 still listed.
  await page.click('text=Voir le résultat détaillé');
  await page.waitForURL(/resultat\?.*lien=/);
  await page.locator('.answers a', { hasText: 'modifier' }).last().click();
  await page.waitForURL(/modifier=.*|lien=.*modifier=/);
  assert.match(page.url(), /lien=/);
  await page.locator('.tool-step input').last().check();
  await page.click('.tool-step button[type=submit]');
  await page.waitForLoadState();
  await walk(page, socialAid);
  assert.match(page.url(), /lien=/, 'the link is carried through the questionnaire');
  await page.click('.save-form button');
  await page.waitForURL(link);
  assert.equal(await page.locator('tbody tr').count(), 2);
  assert.deepEqual(await page.locator('tbody th').allInnerTexts(), ['2', '1']);

  // A form posted from elsewhere (no cookie, or a token of another visitor) is refused.
  const forged = await fetch(server.url + '/outils/evaluations', {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'csrf=abc&outil=classification-ai-act&reponses=systeme-ia%3Doui', redirect: 'manual',
  });
  assert.equal(forged.status, 403);
  assert.match(await forged.text(), /formulaire a expiré/);
  // An unknown link is a 404 page.
  const unknown = await fetch(server.url + '/outils/evaluations/' + 'A'.repeat(43));
  assert.equal(unknown.status, 404);
  await page.close();
});

test('an assessment attached to a fiche shows its result there, the published answers, and a category mismatch', async () => {
  const page = await browser.context.newPage();
  await page.goto(server.url + '/outils/classification-ai-act');
  await walk(page, socialAid);
  await page.click('.save-form button');
  await page.waitForURL(/\/outils\/evaluations\//);
  const link = page.url();

  // A fiche declared « risque minimal »: the computed category (high risk) differs.
  const fiches = await (await fetch(server.url + '/api/v1/fiches?limite=100')).json();
  const fiche = fiches.fiches.find((f) => f.categorieAiAct === 'minimal');
  assert.ok(fiche, 'a demo fiche declared minimal');
  const attach = (body, token = adminToken) => fetch(server.url + `/api/v1/fiches/${fiche.id}/evaluations`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body),
  });
  assert.equal((await attach({ lien: link }, 'x'.repeat(32))).status, 403);
  const missing = await attach({ publier: true });
  assert.equal(missing.status, 400);
  assert.equal((await missing.json()).errors[0].champ, 'lien');
  assert.equal((await attach({ lien: 'B'.repeat(43) })).status, 404);
  const attached = await attach({ lien: link, publier: true });
  assert.equal(attached.status, 200);
  const document = await attached.json();
  assert.equal(document.evaluations[0].outil, 'classification-ai-act');
  assert.ok(document.evaluations[0].resultats.some((r) => /haut-risque/.test(r)));
  assert.ok(!JSON.stringify(document).includes(new URL(link).pathname.split('/').pop()), 'the private link is never published');

  await page.goto(server.url + `/fiches/${fiche.id}-x`);
  const section = page.locator('#evaluations');
  assert.match(await section.innerText(), /Pré-classification AI Act/);
  assert.match(await section.innerText(), /Haut risque/i);
  assert.match(await section.locator('.notice').innerText(), /diffère de la catégorie calculée/);
  assert.ok((await section.locator('details dd').count()) >= 3, 'published answers');
  assert.deepEqual(await axeViolations(page), [], 'fiche with an assessment');

  // The library and the search API filter on the computed outcome, with counts.
  const outcome = document.evaluations[0].resultats.find((r) => /haut-risque/.test(r));
  await page.goto(server.url + `/bibliotheque?evaluation-ai-act=${outcome}`);
  assert.deepEqual(await page.locator('.fiche-card h3').allInnerTexts(), [fiche.titre]);
  assert.equal(await page.locator(`#f-evaluation-ai-act-${outcome}`).isChecked(), true);
  assert.deepEqual(await axeViolations(page), [], 'library filtered by assessment');
  const searched = await (await fetch(server.url + `/api/v1/recherche?evaluation-ai-act=${outcome}`)).json();
  assert.equal(searched.total, 1);
  assert.equal(searched.facettes['evaluation-ai-act'][outcome], 1);
  await page.close();
});

test('fundamental-rights impact assessment: pre-filled from the fiche, errors keep what was typed, a printable document', async () => {
  const page = await browser.context.newPage();
  await page.goto(server.url + '/outils');
  await page.click('text=Analyse d’impact sur les droits fondamentaux');
  await page.waitForURL(/analyse-droits-fondamentaux/);
  assert.equal(await page.locator('.tool-section h2').count(), 6, 'the six elements of art. 27');
  assert.deepEqual(await axeViolations(page), [], 'empty form');

  const fiche = (await (await fetch(server.url + '/api/v1/fiches?limite=1')).json()).fiches[0];
  await page.goto(server.url + `/outils/analyse-droits-fondamentaux?fiche=${fiche.id}`);
  assert.ok((await page.locator('label small', { hasText: 'pré-rempli' }).count()) >= 3);
  assert.equal(await page.locator('#champ-processus').inputValue(), fiche.resume);
  assert.deepEqual(await axeViolations(page), [], 'pre-filled form');

  // Sent with a required field emptied: refused, what was typed kept, the field pointed at.
  const required = page.locator('.fria-form [required]').first();
  const requiredId = await required.getAttribute('id');
  await required.fill('');
  await page.fill('#champ-groupes-vulnerables', 'Personnes âgées isolées');
  await page.click('.fria-form button[type=submit]');
  await page.waitForLoadState();
  assert.match(await page.locator('.notice').innerText(), /n’a pas été enregistrée/);
  assert.equal(await page.locator(`#${requiredId}`).getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#champ-groupes-vulnerables').inputValue(), 'Personnes âgées isolées');
  assert.deepEqual(await axeViolations(page), [], 'form with errors');

  // Filled in: saved under a private link as a document, printable.
  for (const field of await page.locator('.fria-form [required]').all()) {
    if (!(await field.inputValue())) await field.fill('Renseigné pour le test');
  }
  await page.click('.fria-form button[type=submit]');
  await page.waitForURL(/\/outils\/evaluations\//);
  assert.equal(await page.locator('.fria-document').count(), 6);
  assert.match(await page.locator('main').innerText(), /Personnes âgées isolées/);
  assert.deepEqual(await axeViolations(page), [], 'FRIA document');
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4' });
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const printed = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false }).promise;
  let text = '';
  for (let n = 1; n <= printed.numPages; n++) text += (await (await printed.getPage(n)).getTextContent()).items.map((i) => i.str).join(' ');
  assert.match(text, /Analyse d’impact sur les droits fondamentaux/);
  assert.match(text, /Processus dans lesquels le système est utilisé/);
  assert.ok(!text.includes('Votre lien privé'), 'the private link is not printed');
  await page.close();
});

test('fundamental-rights impact assessment without JavaScript: filled in and saved as a document', async () => {
  const page = await noScript.context.newPage();
  await page.goto(server.url + '/outils/analyse-droits-fondamentaux');
  for (const field of await page.locator('.fria-form [required]').all()) await field.fill('Renseigné sans JavaScript');
  await page.click('.fria-form button[type=submit]');
  await page.waitForURL(/\/outils\/evaluations\//);
  assert.equal(await page.locator('.fria-document').count(), 6);
  assert.match(await page.locator('main').innerText(), /Renseigné sans JavaScript/);
  // Changed from its link: a new version, the first kept.
  await page.click('text=Modifier l’analyse');
  await page.waitForURL(/lien=/);
  await page.fill('#champ-gouvernance', 'Comité d’éthique de la collectivité');
  await page.click('.fria-form button[type=submit]');
  await page.waitForURL(/\/outils\/evaluations\//);
  assert.deepEqual(await page.locator('tbody th').allInnerTexts(), ['2', '1']);
  assert.match(await page.locator('main').innerText(), /Comité d’éthique/);
  await page.close();
});
