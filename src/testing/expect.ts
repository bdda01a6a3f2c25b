// Expectations: parsed from the suite's short forms, and matched against a decision.
import { REASON_CODES, type Decision, type ReasonCode } from '../decision/types.js';
import { closest } from '../policy/suggest.js';
import type { CellDocument, Expectation } from './suite.js';


const isReasonCode = (s: string): s is ReasonCode => (REASON_CODES as readonly string[]).includes(s);

export type ParsedExpectation = { readonly ok: true; readonly expect: Expectation } | { readonly ok: false; readonly message: string };

/** Any short form (case `expect:` or matrix cell) → Expectation, or why it is contradictory. */
export function parseExpectation(doc: CellDocument): ParsedExpectation {
  const ok = (expect: Expectation): ParsedExpectation => {
    const unknown = (expect.reasons ?? []).map((r) => r.code).filter((c) => !isReasonCode(c));
    if (unknown.length > 0) {
      const hints = unknown.map((c) => closest(c, REASON_CODES)).filter((c) => c !== null);
      const hint = hints.length > 0 ? ` (did you mean ${hints.join(', ')}?)` : '';
      return { ok: false, message: `unknown reason code ${unknown.join(', ')}${hint} (known: ${REASON_CODES.join(', ')})` };
    }
    return { ok: true, expect };
  };
  if (doc === 'allow') return ok({ allow: true });
  if (doc === 'deny') return ok({ allow: false });
  if (doc === 401 || doc === 403) return ok({ allow: false, status: doc });
  if (typeof doc === 'string') return ok({ allow: false, reasons: [{ code: doc }] });
  if (Array.isArray(doc)) return ok({ allow: false, reasons: (doc as readonly string[]).map((code) => ({ code })) });
  const o = doc as Exclude<CellDocument, string | number | readonly string[]>;
  const inferred =
    o.decision !== undefined
      ? o.decision === 'allow'
      : o.status !== undefined
        ? o.status === 200
        : o.reasons !== undefined
          ? o.reasons.length === 0
          : null;
  if (inferred === null) return { ok: false, message: 'say what is expected: decision, status or reasons (route alone is not a verdict)' };
  if (inferred && o.status !== undefined && o.status !== 200) return { ok: false, message: `an allow always has status 200, not ${o.status}` };
  if (!inferred && o.status === 200) return { ok: false, message: 'a deny never has status 200' };
  if (inferred && o.reasons !== undefined && o.reasons.length > 0) return { ok: false, message: 'an allow has no reasons' };
  if (!inferred && o.reasons !== undefined && o.reasons.length === 0) return { ok: false, message: 'a deny always has at least one reason' };
  return ok({
    allow: inferred,
    ...(o.status !== undefined && { status: o.status }),
    ...(o.route !== undefined && { route: o.route }),
    ...(o.reasons !== undefined && { reasons: o.reasons.map((r) => (r.id === undefined ? { code: r.code } : { id: r.id, code: r.code })) }),
  });
}

/** Why the decision does not meet the expectation; empty when it does. */
export function mismatches(expect: Expectation, d: Decision): string[] {
  const out: string[] = [];
  if (expect.allow !== d.allow) out.push(`expected ${expect.allow ? 'allow' : 'deny'}, got ${d.allow ? 'allow' : 'deny'}`);
  if (expect.status !== undefined && expect.status !== d.status) out.push(`expected status ${expect.status}, got ${d.status}`);
  if (expect.route !== undefined && expect.route !== d.route) {
    out.push(`expected route ${JSON.stringify(expect.route)}, got ${JSON.stringify(d.route)}`);
  }
  if (expect.reasons !== undefined) {
    const left = [...d.reasons];
    const missing: string[] = [];
    for (const want of expect.reasons) {
      const i = left.findIndex((r) => r.code === want.code && (want.id === undefined || r.id === want.id));
      if (i === -1) missing.push(reasonLabel(want));
      else left.splice(i, 1);
    }
    if (missing.length > 0) out.push(`missing reasons: ${missing.join(', ')}`);
    if (left.length > 0) out.push(`unexpected reasons: ${left.map(reasonLabel).join(', ')}`);
  }
  return out;
}

export const reasonLabel = (r: { readonly id?: string; readonly code: string }): string =>
  r.id === undefined ? r.code : `${r.id} ${r.code}`;

/** `deny 403 [st-mfa MFA_REQUIRED]`, for reports. */
export function describeExpectation(e: Expectation): string {
  const parts = [e.allow ? 'allow' : 'deny'];
  if (e.status !== undefined) parts.push(String(e.status));
  if (e.route !== undefined) parts.push(`route ${e.route ?? '(none)'}`);
  if (e.reasons !== undefined) parts.push(`[${e.reasons.map(reasonLabel).join(', ')}]`);
  return parts.join(' ');
}

export function describeDecision(d: Decision): string {
  const parts = [d.allow ? 'allow' : 'deny', String(d.status), `route ${d.route ?? '(none)'}`];
  if (d.reasons.length > 0) parts.push(`[${d.reasons.map(reasonLabel).join(', ')}]`);
  return parts.join(' ');
}
