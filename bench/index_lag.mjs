// Index lag between two nodes (issue 10): during BENCH_SECONDS, every 100 ms, writes a fiche
// holding a word of its own through node A and measures how long node B takes to find it
// through its search API. Prints p50, p99 and the maximum in milliseconds.
//   node bench/index_lag.mjs URL_A URL_B TOKEN
const [urlA, urlB, token] = process.argv.slice(2);
if (!token) throw new Error('usage: node bench/index_lag.mjs URL_A URL_B TOKEN');
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const letters = (n) => Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');

async function probe() {
  const word = 'sondage' + letters(10);
  const fiche = {
    titre: `Fiche témoin ${word}`, resume: 'Mesure du retard de l’index d’un second nœud.', porteurs: ['213502388'],
    domaines: ['urbanisme-logement'], finalites: ['automatisation'], techniques: ['tal'], publics: ['agents'],
    statut: 'experimentation', etatPublication: 'publiee',
  };
  const created = await fetch(urlA + '/api/v1/fiches', { method: 'POST', headers, body: JSON.stringify(fiche) });
  if (created.status !== 201) throw new Error(`write on node A: ${created.status} ${await created.text()}`);
  const written = performance.now();
  for (;;) {
    const answer = await (await fetch(urlB + '/api/v1/recherche?q=' + word)).json();
    if (answer.resultats.some((r) => r.titre.includes(word))) return performance.now() - written;
    if (performance.now() - written > 30000) throw new Error(`node B did not find ${word} within 30 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const lags = [];
const end = performance.now() + seconds * 1000;
while (performance.now() < end) {
  const started = performance.now();
  lags.push(await probe());
  const rest = 100 - (performance.now() - started);
  if (rest > 0) await new Promise((r) => setTimeout(r, rest));
}
lags.sort((a, b) => a - b);
const at = (q) => lags[Math.min(lags.length - 1, Math.floor(q * lags.length))];
console.log(`index lag on node B over ${lags.length} writes: p50 ${at(0.5).toFixed(0)} ms, p99 ${at(0.99).toFixed(0)} ms, max ${lags[lags.length - 1].toFixed(0)} ms`);
