// What a policy change does to access, decided from the requirements alone (docs/review.md):
// every requirement of a route in the base is paired with one in the head, and each pair is
// `same`, `loosened` (every token that passed before still passes), `tightened` (every token that
// passes now passed before) or `changed` (neither can be promised). A requirement only in the head
// tightens; one only in the base loosens. The verdicts are sound, never guessed: when a change
// cannot be shown to go one way for every token, it is `changed`. A property test holds the
// classifier to that against the reference evaluator on generated policies.
import { jsonEquals } from '../decision/json-equals.js';
import type { AnyOfCheck, Check, ClaimCheck, IRRoute, JsonValue, ListClaimCheck, MfaCheck, Segment } from '../policy/ir.js';
import { describeCheck } from '../testing/explain.js';

/** One pair's relation; `same` is "no change". */
export type Relation = 'same' | 'loosened' | 'tightened' | 'changed';

/** A route's or a whole diff's effect (the `effect` field of `diff --format json`). */
export type Effect = 'loosened' | 'tightened' | 'mixed' | 'none';

/** One requirement that changed, and why that loosens, tightens or changes access. */
export interface ChangeDetail {
  /** The requirement relative to its route: `roles`, `mfa (defaults)`, `audience (global)`, `anyOf[1].subject`. */
  readonly requirement: string;
  readonly effect: Exclude<Relation, 'same'>;
  readonly reason: string;
}

export interface Comparison {
  readonly relation: Relation;
  readonly details: readonly ChangeDetail[];
}

/** The relation of several independent changes: all one way, or `changed`. */
export function combine(relations: Iterable<Relation>): Relation {
  let out: Relation = 'same';
  for (const r of relations) {
    if (r === 'same' || r === out) continue;
    if (out === 'same') out = r;
    else return 'changed';
  }
  return out;
}

export function effectOf(relation: Relation): Effect {
  return relation === 'same' ? 'none' : relation === 'changed' ? 'mixed' : relation;
}

/** The effect of several routes' effects together. */
export function combineEffects(effects: Iterable<Effect>): Effect {
  const rel = (e: Effect): Relation => (e === 'none' ? 'same' : e === 'mixed' ? 'changed' : e);
  return effectOf(combine([...effects].map(rel)));
}

// ---- path parameters -----------------------------------------------------------------------------

/**
 * Which path parameters of the base route and the head route always hold the same value: the same
 * kind of segment at the same position. Routes with the same template map names to themselves;
 * across templates (a route that answers another's requests) names map by position.
 */
export type ParamMap = (baseName: string, headName: string) => boolean;

const captures = (segments: readonly Segment[] | null): Map<string, string> => {
  const out = new Map<string, string>();
  (segments ?? []).forEach((s, i) => {
    if (s.kind !== 'literal') out.set(s.name, `${s.kind}@${i}`);
  });
  return out;
};

export function paramMap(base: IRRoute, head: IRRoute): ParamMap {
  const b = captures(base.segments);
  const h = captures(head.segments);
  return (bn, hn) => {
    const x = b.get(bn);
    return x !== undefined && x === h.get(hn);
  };
}

// ---- one requirement ---------------------------------------------------------------------------------

const list = (xs: readonly unknown[]): string => `[${xs.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ')}]`;

/** Set relation of two string lists: equal, the head has more (`grew`), fewer (`shrank`), or neither. */
function setChange(before: readonly string[], after: readonly string[]): 'equal' | 'grew' | 'shrank' | 'other' {
  const b = new Set(before);
  const a = new Set(after);
  const aHasAllB = [...b].every((x) => a.has(x));
  const bHasAllA = [...a].every((x) => b.has(x));
  return aHasAllB && bHasAllA ? 'equal' : aHasAllB ? 'grew' : bHasAllA ? 'shrank' : 'other';
}

const added = (before: readonly string[], after: readonly string[]): string[] => after.filter((x) => !before.includes(x));
const removed = (before: readonly string[], after: readonly string[]): string[] => before.filter((x) => !after.includes(x));

/** `+support −admin`, for reasons. */
function listDelta(before: readonly string[], after: readonly string[]): string {
  const parts = [...added(before, after).map((x) => `+${x}`), ...removed(before, after).map((x) => `−${x}`)];
  return parts.join(' ');
}

interface Part {
  readonly relation: Relation;
  readonly why: string;
}

/**
 * A list where more entries let more tokens through (`anyOf`: one of them suffices) or fewer
 * (`allOf`, `noneOf`: each entry is one more condition). null means the list is not set at all.
 */
function listPart(name: string, before: readonly string[] | null, after: readonly string[] | null, moreLoosens: boolean): Part {
  if (before === null && after === null) return { relation: 'same', why: '' };
  if (before === null) return { relation: 'tightened', why: `${name} ${list(after!)} added` };
  if (after === null) return { relation: 'loosened', why: `${name} ${list(before)} removed` };
  const change = setChange(before, after);
  if (change === 'equal') return { relation: 'same', why: '' };
  const why = `${name} ${listDelta(before, after)}`;
  if (change === 'other') return { relation: 'changed', why };
  const loosens = (change === 'grew') === moreLoosens;
  return { relation: loosens ? 'loosened' : 'tightened', why };
}

/** A maximum age: null is no limit; a larger limit lets more tokens through. */
function agePart(name: string, before: number | null, after: number | null): Part {
  const b = before ?? Infinity;
  const a = after ?? Infinity;
  if (a === b) return { relation: 'same', why: '' };
  const show = (x: number | null): string => (x === null ? 'no limit' : `${x}s`);
  return { relation: a > b ? 'loosened' : 'tightened', why: `${name} ${show(before)} → ${show(after)}` };
}

function fromParts(parts: readonly Part[]): Part {
  const changed = parts.filter((p) => p.relation !== 'same');
  return { relation: combine(changed.map((p) => p.relation)), why: changed.map((p) => p.why).join(', ') };
}

function listClaim(b: ListClaimCheck, h: ListClaimCheck): Part {
  return fromParts([
    listPart('anyOf', b.anyOf, h.anyOf, true),
    listPart('allOf', b.allOf, h.allOf, false),
    listPart('noneOf', b.noneOf, h.noneOf, false),
    agePart('maxAgeSeconds', b.maxAgeSeconds, h.maxAgeSeconds),
  ]);
}

function mfa(b: MfaCheck, h: MfaCheck): Part {
  if (b.factors === null && h.factors === null) return { relation: 'same', why: '' };
  if (b.factors === null) return { relation: 'tightened', why: 'mfa: true → named factors (st-mfa.v must still be true)' };
  if (h.factors === null) return { relation: 'loosened', why: 'named factors → mfa: true (only st-mfa.v is checked)' };
  const age = agePart('maxAgeSeconds', b.maxAgeSeconds, h.maxAgeSeconds);
  const bf = b.factors;
  const hf = h.factors;
  if (bf.allOf !== null && hf.allOf !== null) return fromParts([listPart('factors allOf', bf.allOf, hf.allOf, false), age]);
  if (bf.anyOf !== null && hf.anyOf !== null) return fromParts([listPart('factors anyOf', bf.anyOf, hf.anyOf, true), age]);
  // anyOf ↔ allOf. With one shared factor an allOf implies the anyOf: every factor it needs is
  // complete and fresh, the shared one included. [x] one way or the other is the same demand.
  const before = (bf.anyOf ?? bf.allOf)!;
  const after = (hf.anyOf ?? hf.allOf)!;
  const shared = before.some((f) => after.includes(f));
  const single = before.length === 1 && after.length === 1 && before[0] === after[0];
  const why = `factors ${bf.anyOf !== null ? 'anyOf' : 'allOf'} ${list(before)} → ${hf.anyOf !== null ? 'anyOf' : 'allOf'} ${list(after)}`;
  const switched: Part = single
    ? { relation: 'same', why: '' }
    : !shared
      ? { relation: 'changed', why }
      : { relation: bf.anyOf !== null ? 'tightened' : 'loosened', why };
  return fromParts([switched, age]);
}

/** A claim requirement as the values it accepts (null: any value, `exists`). */
function accepted(c: ClaimCheck): readonly JsonValue[] | null {
  return c.op === 'exists' ? null : c.op === 'equals' ? [c.value] : c.values;
}

function claim(b: ClaimCheck, h: ClaimCheck): Part {
  const before = accepted(b);
  const after = accepted(h);
  if (before === null && after === null) return { relation: 'same', why: '' };
  if (before === null) return { relation: 'tightened', why: `exists → ${describeCheck(h)}` };
  if (after === null) return { relation: 'loosened', why: `${describeCheck(b)} → exists` };
  const has = (xs: readonly JsonValue[], v: JsonValue): boolean => xs.some((x) => jsonEquals(x, v));
  const grew = before.every((v) => has(after, v));
  const shrank = after.every((v) => has(before, v));
  if (grew && shrank) return { relation: 'same', why: '' };
  const why = `accepted values ${list(before)} → ${list(after)}`;
  return { relation: grew ? 'loosened' : shrank ? 'tightened' : 'changed', why };
}

function equalsParam(b: string, h: string, params: ParamMap): Part {
  return params(b, h) ? { relation: 'same', why: '' } : { relation: 'changed', why: `path parameter {${b}} → {${h}}` };
}

/** Two requirements of the same kind (and claim), or null when they are not comparable. */
function comparePair(b: Check, h: Check, params: ParamMap): Part | null {
  if (b.kind !== h.kind || (b.kind !== 'anyOf' && h.kind !== 'anyOf' && b.id !== h.id)) return null;
  switch (b.kind) {
    case 'emailVerified':
      return agePart('maxAgeSeconds', b.maxAgeSeconds, (h as typeof b).maxAgeSeconds);
    case 'roles':
    case 'permissions':
      return listClaim(b, h as ListClaimCheck);
    case 'mfa':
      return mfa(b, h as MfaCheck);
    case 'tenant': {
      const t = h as typeof b;
      if (b.equalsPathParam !== null && t.equalsPathParam !== null) return equalsParam(b.equalsPathParam, t.equalsPathParam, params);
      if (b.anyOf !== null && t.anyOf !== null) return listPart('anyOf', b.anyOf, t.anyOf, true);
      return { relation: 'changed', why: `${describeCheck(b)} → ${describeCheck(t)}` };
    }
    case 'subject':
      return equalsParam(b.equalsPathParam, (h as typeof b).equalsPathParam, params);
    case 'audience':
      return listPart('anyOf', b.anyOf, (h as typeof b).anyOf, true);
    case 'issuer': {
      const t = h as typeof b;
      return b.equals === t.equals ? { relation: 'same', why: '' } : { relation: 'changed', why: `${b.equals} → ${t.equals}` };
    }
    case 'claim':
      return claim(b, h as ClaimCheck);
    case 'anyOf':
      return null; // compared by compareAnyOf, which also reports inside the branches
  }
}

// ---- labels ------------------------------------------------------------------------------------------

const OWN = /^routes\[(?:"(?:[^"\\]|\\.)*")\]\.require\.?/;

/** The requirement's name relative to its route, for any route: `roles`, `mfa (defaults)`, `audience (global)`. */
export function requirementName(c: Check): string {
  if (OWN.test(c.path)) return c.path.replace(OWN, '') || 'require';
  if (c.path.startsWith('defaults.require.')) return `${c.path.slice('defaults.require.'.length)} (defaults)`;
  if (c.path === 'audience' || c.path === 'issuer') return `${c.path} (global)`;
  return c.path;
}

/** Where a requirement sits, ignoring which route: pairs `require.roles` with `require.roles` across routes. */
const slot = (c: Check): string => c.path.replace(OWN, 'require.');

// ---- a conjunction of requirements ---------------------------------------------------------------------

/**
 * Pairs the requirements of two routes (or two anyOf branches): first those that demand exactly
 * the same (wherever they were written: moving a requirement into `defaults` changes nothing),
 * then those at the same place, then any two of the same kind and claim. What is left over was
 * added (tightens) or removed (loosens).
 */
export function compareChecks(before: readonly Check[], after: readonly Check[], params: ParamMap): Comparison {
  const leftB = [...before];
  const leftA = [...after];
  const pairs: [Check, Check][] = [];
  const take = (match: (b: Check, a: Check) => boolean): void => {
    for (let i = 0; i < leftB.length; i++) {
      const j = leftA.findIndex((a) => match(leftB[i]!, a));
      if (j === -1) continue;
      pairs.push([leftB[i]!, leftA[j]!]);
      leftB.splice(i--, 1);
      leftA.splice(j, 1);
    }
  };
  const relationOf = (b: Check, a: Check): Relation | null =>
    b.kind === 'anyOf' && a.kind === 'anyOf' ? compareAnyOf(b, a, params).relation : (comparePair(b, a, params)?.relation ?? null);
  take((b, a) => relationOf(b, a) === 'same');
  take((b, a) => slot(b) === slot(a) && relationOf(b, a) !== null);
  take((b, a) => relationOf(b, a) !== null);

  const details: ChangeDetail[] = [];
  const relations: Relation[] = [];
  for (const [b, a] of pairs) {
    if (b.kind === 'anyOf' && a.kind === 'anyOf') {
      const c = compareAnyOf(b, a, params);
      relations.push(c.relation);
      details.push(...c.details);
      continue;
    }
    const part = comparePair(b, a, params)!;
    relations.push(part.relation);
    if (part.relation !== 'same') {
      details.push({ requirement: requirementName(a), effect: part.relation, reason: `${part.why}: ${describeCheck(b)} → ${describeCheck(a)}` });
    }
  }
  for (const a of leftA) {
    relations.push('tightened');
    details.push({ requirement: requirementName(a), effect: 'tightened', reason: `added: ${describeCheck(a)}` });
  }
  for (const b of leftB) {
    relations.push('loosened');
    details.push({ requirement: requirementName(b), effect: 'loosened', reason: `removed: ${describeCheck(b)}` });
  }
  return { relation: combine(relations), details };
}

/**
 * `anyOf` passes when one branch passes: a branch more, or a branch that accepts more, loosens;
 * a branch less, or one that accepts less, tightens. Branches pair as requirements do.
 */
function compareAnyOf(before: AnyOfCheck, after: AnyOfCheck, params: ParamMap): Comparison {
  const leftB = before.branches.map((b, i) => ({ b, i }));
  const leftA = after.branches.map((a, i) => ({ a, i }));
  const pairs: [number, number, Comparison][] = [];
  const take = (ok: (c: Comparison, bi: number, ai: number) => boolean): void => {
    for (let x = 0; x < leftB.length; x++) {
      const { b, i } = leftB[x]!;
      const y = leftA.findIndex(({ a, i: j }) => ok(compareChecks(b, a, params), i, j));
      if (y === -1) continue;
      const { a, i: j } = leftA[y]!;
      pairs.push([i, j, compareChecks(b, a, params)]);
      leftB.splice(x--, 1);
      leftA.splice(y, 1);
    }
  };
  take((c) => c.relation === 'same');
  take((_c, i, j) => i === j);
  take(() => true);
  const name = requirementName(after);
  const details: ChangeDetail[] = [];
  const relations: Relation[] = [];
  for (const [, , c] of pairs) {
    relations.push(c.relation);
    details.push(...c.details);
  }
  for (const { a, i } of leftA) {
    relations.push('loosened');
    details.push({ requirement: `${name}[${i}]`, effect: 'loosened', reason: `branch added (one more way to pass): ${a.map(describeCheck).join(' and ')}` });
  }
  for (const { b, i } of leftB) {
    relations.push('tightened');
    details.push({ requirement: `${requirementName(before)}[${i}]`, effect: 'tightened', reason: `branch removed (one way to pass less): ${b.map(describeCheck).join(' and ')}` });
  }
  return { relation: combine(relations), details };
}

// ---- a route -------------------------------------------------------------------------------------------

/** The requirements of a base route against a head route (the same route, or one answering its requests). */
export function compareRoutes(base: IRRoute, head: IRRoute): Comparison {
  if (base.public && head.public) return { relation: 'same', details: [] };
  if (base.public) {
    return { relation: 'tightened', details: [{ requirement: 'public', effect: 'tightened', reason: `made protected: a token is needed, and ${head.checks.length} requirement${head.checks.length === 1 ? '' : 's'}` }] };
  }
  if (head.public) {
    return { relation: 'loosened', details: [{ requirement: 'public', effect: 'loosened', reason: 'made public: no token and no claim are checked any more' }] };
  }
  return compareChecks(base.checks, head.checks, paramMap(base, head));
}
