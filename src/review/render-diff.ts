// `claimguard diff` output: JSON (the contract: `{ routes: [{ route, change, effect, details }],
// access: [{ principal, route, before, after }] }`), pretty text for a terminal, and Markdown to
// paste as a pull-request comment.
import type { AccessChange } from './access.js';
import type { Effect } from './classify.js';
import { overallEffect, type RouteChange } from './diff.js';

export interface DiffReport {
  /** `main:policies.yaml` */
  readonly base: string;
  /** `policies.yaml` */
  readonly head: string;
  readonly routes: readonly RouteChange[];
  readonly access: readonly AccessChange[];
  /** How many principals the access section decided for (0 when the head has no suites). */
  readonly principals: number;
}

/** Exactly the contract's fields, in its order. */
export function diffJson(r: DiffReport): string {
  const doc = {
    routes: r.routes.map((x) => ({ route: x.route, change: x.change, effect: x.effect, details: x.details.map((d) => ({ requirement: d.requirement, effect: d.effect, reason: d.reason })) })),
    access: r.access.map((a) => ({ principal: a.principal, route: a.route, before: a.before, after: a.after })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const changed = (r: DiffReport): RouteChange[] => r.routes.filter((x) => x.change !== 'unchanged');
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const reasons = (a: AccessChange): string => {
  const d = a.after === 'deny' ? a.afterDecision : a.beforeDecision;
  return d.reasons.map((x) => x.code).join(', ');
};

function summary(r: DiffReport): string {
  const c = changed(r);
  const count = (e: Effect): number => c.filter((x) => x.effect === e).length;
  const gains = r.access.filter((a) => a.after === 'allow').length;
  const loses = r.access.length - gains;
  return (
    `${plural(c.length, 'route')} of ${r.routes.length} changed (${count('loosened')} loosened, ${count('tightened')} tightened, ${count('mixed')} mixed, ${count('none')} without effect); ` +
    `${plural(gains, 'principal × route gains', 'principal × route pairs gain')} access, ${plural(loses, 'loses', 'lose')} it`
  );
}

const SIGN: Record<RouteChange['change'], string> = { added: '+', removed: '-', modified: '~', unchanged: ' ' };

function handoverText(x: RouteChange): string {
  if (x.handovers.length === 0) return '';
  const verb = x.change === 'added' ? 'was answered by' : 'is now answered by';
  return x.handovers.map((h) => `${h.request.method} ${h.request.path} ${verb} ${h.route ?? 'no route'}`).join('; ');
}

export function diffPretty(r: DiffReport): string {
  const lines = [`claimguard diff: ${r.base} → ${r.head}   effect: ${overallEffect(r.routes)}`, ''];
  const c = changed(r);
  if (c.length === 0) lines.push('no route changed');
  for (const x of c) {
    const handover = handoverText(x);
    lines.push(`${SIGN[x.change]} ${x.route}   ${x.change}, ${x.effect}${handover === '' ? '' : `   (${handover})`}`);
    for (const d of x.details) lines.push(`    ${d.effect.padEnd(9)} ${d.requirement}: ${d.reason}`);
  }
  lines.push('');
  if (r.principals === 0) lines.push('access: the head has no test suites, so no principals to decide for');
  else if (r.access.length === 0) lines.push(`access: no principal gains or loses access (${plural(r.principals, 'principal')} × ${plural(r.routes.length, 'route')}, one representative request each)`);
  else {
    lines.push(`access (${plural(r.principals, 'principal')} of the head's test suites, one representative request per route):`);
    const pw = Math.max(...r.access.map((a) => a.principal.length));
    const rw = Math.max(...r.access.map((a) => a.route.length));
    for (const a of r.access) {
      lines.push(`  ${a.after === 'allow' ? '+' : '-'} ${a.principal.padEnd(pw)}  ${a.route.padEnd(rw)}  ${a.before} → ${a.after.padEnd(5)}   (${a.request.method} ${a.request.path}; ${a.before === 'deny' ? 'was' : 'now'} denied with ${reasons(a)})`);
    }
  }
  lines.push('', summary(r));
  return `${lines.join('\n')}\n`;
}

/** A Markdown table cell: pipes escaped, line breaks as <br>. */
const cell = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
const code = (s: string): string => `\`${s.replace(/`/g, 'ˋ')}\``;
const MARK: Record<Effect, string> = { loosened: '🔓 loosened', tightened: '🔒 tightened', mixed: '⚠️ mixed', none: 'no effect' };

export function diffMarkdown(r: DiffReport): string {
  const overall = overallEffect(r.routes);
  const out = [`### claimguard policy diff: ${MARK[overall]}`, '', `${code(r.base)} → ${code(r.head)}: ${summary(r)}.`, ''];
  const c = changed(r);
  if (c.length > 0) {
    out.push('| route | change | effect | what changed |', '|---|---|---|---|');
    for (const x of c) {
      const handover = handoverText(x);
      const what = [...(handover === '' ? [] : [handover]), ...x.details.map((d) => `**${d.requirement}** ${d.effect}: ${d.reason}`)].join('\n');
      out.push(`| ${cell(code(x.route))} | ${x.change} | ${MARK[x.effect]} | ${cell(what === '' ? '—' : what)} |`);
    }
    out.push('');
  }
  if (r.access.length > 0) {
    out.push('#### Who gains or loses access', '', '| principal | route | before | after | request |', '|---|---|---|---|---|');
    for (const a of r.access) {
      const side = (v: string, bold: boolean): string => {
        const text = v === 'deny' ? `deny (${reasons(a)})` : v;
        return bold ? `**${text}**` : text;
      };
      out.push(`| ${cell(a.principal)} | ${cell(code(a.route))} | ${cell(side(a.before, false))} | ${cell(side(a.after, true))} | ${cell(code(`${a.request.method} ${a.request.path}`))} |`);
    }
    out.push('');
  } else if (r.principals > 0) {
    out.push(`No principal of the test suites gains or loses access (${plural(r.principals, 'principal')}, one representative request per route).`, '');
  }
  out.push('<sub>claimguard diff: principals from the head\'s test suites; each route decided for one representative request by both compiled bundles.</sub>');
  return `${out.join('\n')}\n`;
}
