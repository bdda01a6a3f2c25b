// `claimguard report`: one self-contained HTML file (inline CSS and script, no fetches, works
// from disk or as a CI artifact) with the access matrix, every route's requirements in words with
// their coverage, the uncovered outcomes, and a filter box. Everything from the policy or the
// suites is HTML-escaped: claim values and names are data, never markup.
import type { Decision } from '../decision/types.js';
import type { AccessMatrix, MatrixCell, Observation, RouteRow } from './matrix.js';

export interface ReportMeta {
  readonly policyFiles: readonly string[];
  readonly suiteFiles: readonly string[];
  readonly engine: string;
  readonly generatedAt: Date;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c]!);
const e = escapeHtml;

const loc = (at: { file: string; line: number; col: number }): string => `${at.file}:${at.line}:${at.col}`;
const codes = (d: Decision): string => d.reasons.map((r) => r.code).join(', ');
const verdictText = (d: Decision): string => (d.allow ? 'allow' : `deny ${d.status}`);

function reasonList(d: Decision): string {
  if (d.reasons.length === 0) return '';
  const items = d.reasons.map((r) => {
    const { message, ...detail } = r.reason;
    const extra = Object.keys(detail).length > 0 ? ` <code>${e(JSON.stringify(detail))}</code>` : '';
    return `<li><b>${e(r.code)}</b> <span class="id">${e(r.id)}</span>: ${e(message)}${extra}</li>`;
  });
  return `<ul class="reasons">${items.join('')}</ul>`;
}

function observationItem(o: Observation): string {
  const failed = o.passed ? '' : ' <b class="failed">(case fails)</b>';
  return `<li class="obs" data-decision="${o.decision.allow ? 'allow' : 'deny'}" data-case="${e(o.caseName)}"><span class="v ${o.decision.allow ? 'allow' : 'deny'}">${e(verdictText(o.decision))}</span> <code>${e(o.request)}</code> at ${e(new Date(o.now).toISOString())}${failed}<br><span class="case">${e(o.caseName)} (${e(loc(o.at))})</span>${reasonList(o.decision)}</li>`;
}

function cellHtml(c: MatrixCell): string {
  const attrs = `class="cell ${c.verdict}" data-route="${e(c.route)}" data-principal="${e(c.principal)}" data-verdict="${c.verdict}"`;
  if (c.verdict === 'untested') {
    const r = c.representative;
    if (r === null) return `<td ${attrs} title="no case, and no request reaches this route by path">–</td>`;
    const label = `untested: ${verdictText(r.decision)}`;
    return `<td ${attrs} title="${e(`${label} for ${r.request.method} ${r.request.path}${r.decision.allow ? '' : `: ${codes(r.decision)}`}`)}"><details><summary><span class="label">untested</span> <span class="would">${e(verdictText(r.decision))}</span></summary><p>No case of the suites; the bundle decides <code>${e(`${r.request.method} ${r.request.path}`)}</code> as <b>${e(verdictText(r.decision))}</b>.</p>${reasonList(r.decision)}</details></td>`;
  }
  const denied = c.observations.filter((o) => !o.decision.allow);
  const reasonCodes = [...new Set(denied.flatMap((o) => o.decision.reasons.map((r) => r.code)))];
  const label = c.verdict === 'mixed' ? 'mixed' : c.verdict === 'allow' ? 'allow' : `deny`;
  const title = `${label}${reasonCodes.length > 0 ? `: ${reasonCodes.join(', ')}` : ''} (${c.observations.length} case${c.observations.length === 1 ? '' : 's'})`;
  return `<td ${attrs} title="${e(title)}"><details><summary><span class="label">${label}</span>${reasonCodes.length > 0 ? ` <span class="codes">${e(reasonCodes.join(' '))}</span>` : ''}</summary><ul class="obs-list">${c.observations.map(observationItem).join('')}</ul></details></td>`;
}

function matrixRow(r: RouteRow): string {
  const words = r.public ? 'public' : r.requirements.map((q) => q.words).join('; ');
  return `<tr data-route="${e(r.key)}" data-filter="${e(`${r.key} ${words}`.toLowerCase())}"><th scope="row"><a href="#route-${e(encodeURIComponent(r.key))}"><code>${e(r.key)}</code></a>${r.public ? ' <span class="badge">public</span>' : ''}</th>${r.cells.map(cellHtml).join('')}</tr>`;
}

const mark = (ok: boolean): string => (ok ? '<span class="yes">✔</span>' : '<span class="no">✖</span>');

function routeSection(r: RouteRow): string {
  const cov = r.total === 0 ? 'nothing to cover' : `${r.covered}/${r.total} outcomes covered`;
  const head = `<h3><code>${e(r.key)}</code> <span class="where">${e(loc(r.at))}</span> <span class="cov ${r.covered === r.total ? 'full' : 'gap'}">${e(cov)}</span></h3>`;
  if (r.public) {
    const reached = r.covered === r.total;
    return `<section class="route" id="route-${e(encodeURIComponent(r.key))}" data-route="${e(r.key)}" data-filter="${e(`${r.key} public`.toLowerCase())}">${head}<p>Public: no token or claim is needed. ${reached ? 'A case reaches it.' : '<b class="no">No case reaches it.</b>'}</p></section>`;
  }
  const rows = r.requirements.map(
    (q) =>
      `<tr><td style="padding-left:${0.5 + q.depth * 1.5}em"><code>${e(q.label)}</code></td><td>${e(q.words)}</td><td class="where">${e(loc(q.at))}</td><td>${mark(q.seen.includes('pass'))} pass</td><td>${mark(q.seen.includes('fail'))} fail</td></tr>`,
  );
  const words = r.requirements.map((q) => q.words).join('; ');
  return `<section class="route" id="route-${e(encodeURIComponent(r.key))}" data-route="${e(r.key)}" data-filter="${e(`${r.key} ${words}`.toLowerCase())}">${head}<p>A token is needed, and every requirement below must pass.</p><table class="reqs"><thead><tr><th>requirement</th><th>passes when</th><th>written at</th><th colspan="2">seen in a case</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

const STYLE = `
:root { --allow: #1a7f37; --allow-bg: #dafbe1; --deny: #cf222e; --deny-bg: #ffebe9; --mixed-bg: #fff8c5; --muted: #57606a; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5em; color: #1f2328; }
h1 { font-size: 1.5em; margin: 0 0 .2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #d0d7de; } h3 { font-size: 1.05em; margin: 1.2em 0 .3em; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, monospace; }
.meta, .where, .case, .id { color: var(--muted); } .where { font-size: .85em; font-weight: normal; }
#filter { font-size: 1em; padding: .4em .6em; width: min(40em, 100%); border: 1px solid #8c959f; border-radius: 6px; }
.matrix-wrap { overflow: auto; max-height: 80vh; border: 1px solid #d0d7de; border-radius: 6px; }
table { border-collapse: collapse; } .matrix th, .matrix td { border: 1px solid #d0d7de; padding: .25em .4em; vertical-align: top; }
.matrix thead th { position: sticky; top: 0; background: #f6f8fa; writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; font-weight: 600; }
.matrix thead th:first-child { writing-mode: horizontal-tb; transform: none; left: 0; z-index: 2; }
.matrix tbody th { text-align: left; white-space: nowrap; position: sticky; left: 0; z-index: 1; background: #fff; }
.cell { min-width: 5.5em; font-size: .9em; } .cell summary { cursor: pointer; list-style: none; } .cell summary::-webkit-details-marker { display: none; }
.cell.allow { background: var(--allow-bg); } .cell.deny { background: var(--deny-bg); } .cell.mixed { background: var(--mixed-bg); }
.cell.untested { background: repeating-linear-gradient(45deg, #fff, #fff 4px, #f6f8fa 4px, #f6f8fa 8px); color: var(--muted); }
.cell .label { font-weight: 600; } .cell.allow .label { color: var(--allow); } .cell.deny .label { color: var(--deny); }
.cell .codes { display: block; font: 11px ui-monospace, monospace; color: var(--deny); }
.cell details[open] { position: relative; } .cell details[open] > :not(summary) { min-width: 28em; }
.obs-list, .reasons { margin: .3em 0; padding-left: 1.2em; } .v.allow { color: var(--allow); font-weight: 600; } .v.deny { color: var(--deny); font-weight: 600; }
.badge { font-size: .75em; background: #ddf4ff; color: #0969da; border-radius: 1em; padding: 0 .5em; }
.reqs td, .reqs th { border-bottom: 1px solid #d0d7de; padding: .25em .6em; text-align: left; }
.yes { color: var(--allow); } .no, .failed { color: var(--deny); } .cov.full { color: var(--allow); font-size: .85em; } .cov.gap { color: var(--deny); font-size: .85em; }
.legend span { display: inline-block; padding: 0 .5em; margin-right: .5em; border: 1px solid #d0d7de; }
[hidden] { display: none !important; }
`;

// Hides matrix rows and route sections whose route key and requirement words do not contain the
// text typed; the query stays in the URL hash so a link reopens the same view.
const SCRIPT = `
(function () {
  var box = document.getElementById('filter');
  var count = document.getElementById('filter-count');
  function apply() {
    var q = box.value.trim().toLowerCase();
    var shown = 0, total = 0;
    document.querySelectorAll('[data-filter]').forEach(function (el) {
      var hit = q === '' || el.getAttribute('data-filter').indexOf(q) !== -1;
      el.hidden = !hit;
      if (el.tagName === 'TR') { total++; if (hit) shown++; }
    });
    count.textContent = q === '' ? total + ' routes' : shown + ' of ' + total + ' routes match';
    history.replaceState(null, '', q === '' ? location.pathname : '#filter=' + encodeURIComponent(q));
  }
  var m = /^#filter=(.*)$/.exec(location.hash);
  if (m) box.value = decodeURIComponent(m[1]);
  box.addEventListener('input', apply);
  apply();
})();
`;

export function renderReport(m: AccessMatrix, meta: ReportMeta): string {
  const pct = `${(Math.floor(m.coverage.percent * 10) / 10).toFixed(1)}%`;
  const uncovered = m.coverage.uncovered.map((u) => {
    const what = u.missing === 'reached' ? 'no case reaches this public route' : u.missing === 'pass' ? 'no case makes it pass' : 'no case makes it fail';
    return `<li data-route="${e(u.route)}"><code>${e(u.route)}</code> <code>${e(u.requirement)}</code>: ${e(what)} <span class="where">${e(loc(u.at))}</span></li>`;
  });
  const unrouted = m.unrouted.length === 0 ? '' : `<h2>Requests that match no route</h2><ul class="obs-list">${m.unrouted.map(observationItem).join('')}</ul>`;
  const failing = m.failed > 0 ? `<p class="no"><b>${m.failed} case${m.failed === 1 ? '' : 's'} of the suites fail${m.failed === 1 ? 's' : ''}</b>: their cells show what the bundle decided, marked “case fails”.</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>claimguard access report: ${e(meta.policyFiles[0] ?? '')}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>claimguard access report</h1>
<p class="meta">Policy ${meta.policyFiles.map((f) => `<code>${e(f)}</code>`).join(', ')} · suites ${meta.suiteFiles.map((f) => `<code>${e(f)}</code>`).join(', ')}<br>${e(meta.engine)} · generated ${e(meta.generatedAt.toISOString())}</p>
<p><b>${m.routes.length}</b> routes × <b>${m.principals.length}</b> principals · cases: <b>${m.passed}</b> pass, <b>${m.failed}</b> fail · coverage <b>${m.coverage.covered}/${m.coverage.total}</b> requirement outcomes (${pct})</p>
${failing}
<p><label for="filter">Filter routes </label><input id="filter" type="search" placeholder="route or requirement, e.g. /billing or mfa" autocomplete="off"> <span id="filter-count" class="meta"></span></p>
<h2>Access matrix</h2>
<p class="legend">Each cell is what the compiled bundle decided in the suites' cases for that principal (as defined, no claims changed) on that route; click it for the cases and reasons. <span class="cell allow">allow</span><span class="cell deny">deny</span><span class="cell mixed">mixed: some cases allow, some deny</span><span class="cell untested">untested: no case; the bundle's decision for one representative request</span></p>
<div class="matrix-wrap"><table class="matrix" id="matrix"><thead><tr><th scope="col">route</th>${m.principals.map((p) => `<th scope="col" data-principal="${e(p)}">${e(p)}</th>`).join('')}</tr></thead><tbody>${m.routes.map(matrixRow).join('')}</tbody></table></div>
<h2>Uncovered outcomes</h2>
${uncovered.length === 0 ? '<p class="yes">Every requirement outcome is covered by some case.</p>' : `<ul id="uncovered">${uncovered.join('')}</ul>`}
${unrouted}
<h2>Routes and their requirements</h2>
${m.routes.map(routeSection).join('\n')}
<script>${SCRIPT}</script>
</body>
</html>
`;
}
