// Principals: named token payloads shared by every suite of a run. A principal may `extends`
// another: the parent's payload, minus `unset` (claim names or JSON Pointers), then `claims`
// deep-merged on top (maps merge key by key, lists and scalars replace, `null` sets JSON null).
// Time sugar (`now-5m`) is resolved against the `now` of the suite that uses the principal.
import type { DataPath, SourceFile } from '../policy/source.js';
import { closest } from '../policy/suggest.js';
import { claimShapeProblems } from './claim-shapes.js';
import { suiteErrorAt, type SuiteError } from './errors.js';
import { ANONYMOUS, type Claims, type PrincipalDocument } from './suite.js';
import { claimTime, TIME_SUGAR_HELP } from './time.js';
import { isObject } from '../util/json.js';

type Json = { [key: string]: unknown };

const isMap = isObject as (x: unknown) => x is Json;

/** Where a payload layer was written, for errors. */
export interface LayerSource {
  readonly file: SourceFile;
  /** Data path of the map holding `claims` / `unset` (a principal or a case). */
  readonly path: DataPath;
  /** Where the claims map is, when not `<path>.claims` (an inline `token:`). */
  readonly claimsPath?: DataPath;
}

export interface Layer {
  readonly claims?: Claims | undefined;
  readonly unset?: readonly string[] | undefined;
}

/** `/a/b~1c` → ['a', 'b/c']; a bare name is one step. */
export function pointerSteps(entry: string): string[] {
  if (!entry.startsWith('/')) return [entry];
  return entry
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function removeAt(target: Json, steps: readonly string[]): boolean {
  let node: unknown = target;
  for (const step of steps.slice(0, -1)) {
    if (!isMap(node) || !Object.hasOwn(node, step)) return false;
    node = node[step];
  }
  const last = steps[steps.length - 1]!;
  if (!isMap(node) || !Object.hasOwn(node, last)) return false;
  delete node[last];
  return true;
}

export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isMap(base) || !isMap(over)) return structuredClone(over);
  const out: Json = structuredClone(base);
  for (const [k, v] of Object.entries(over)) out[k] = Object.hasOwn(out, k) ? deepMerge(out[k], v) : structuredClone(v);
  return out;
}

type TimeProblem = (tokenPath: string[], kind: 'ambiguous' | 'invalid', text: string) => void;

/** Replaces time sugar with numbers; reports `now-5m` where the unit is not known, and sugar that does not parse. */
function resolveTimes(value: unknown, tokenPath: string[], now: number, onProblem: TimeProblem): unknown {
  if (typeof value === 'string') {
    const t = claimTime(value, tokenPath, now);
    if (t.kind === 'value') return t.value;
    if (t.kind === 'ambiguous' || t.kind === 'invalid') onProblem(tokenPath, t.kind, value);
    return value;
  }
  if (Array.isArray(value)) return value;
  if (isMap(value)) {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveTimes(v, [...tokenPath, k], now, onProblem);
    return out;
  }
  return value;
}

/** One layer on top of `base`: unset first, then claims merged. Errors go to `errors` when given. */
export function applyLayer(base: Claims, layer: Layer, now: number, src: LayerSource, errors?: SuiteError[]): Claims {
  const out = structuredClone(base) as Json;
  (layer.unset ?? []).forEach((entry, i) => {
    if (!removeAt(out, pointerSteps(entry)) && errors) {
      errors.push(
        suiteErrorAt(src.file, [...src.path, 'unset', i], 'UNSET_INVALID', `unset "${entry}": the inherited payload has no such claim`),
      );
    }
  });
  const claims = resolveTimes(layer.claims ?? {}, [], now, (tokenPath, kind, text) => {
    const at = [...(src.claimsPath ?? [...src.path, 'claims']), ...tokenPath];
    errors?.push(
      kind === 'ambiguous'
        ? suiteErrorAt(src.file, at, 'TIME_UNIT_AMBIGUOUS', `"${tokenPath.join('.')}" is not a known time field, so the unit of this time is unclear: write ms(…) or s(…)`)
        : suiteErrorAt(src.file, at, 'TIME_INVALID', `${JSON.stringify(text)} is not a valid time: ${TIME_SUGAR_HELP}`),
    );
  });
  return deepMerge(out, claims) as Claims;
}

export interface PrincipalDefinition {
  readonly name: string;
  readonly doc: PrincipalDocument;
  readonly src: LayerSource;
}

export class PrincipalRegistry {
  readonly #defs = new Map<string, PrincipalDefinition>();

  /** Adds a principal; returns the definition it clashes with, if any. */
  add(def: PrincipalDefinition): PrincipalDefinition | null {
    const clash = this.#defs.get(def.name);
    if (clash) return clash;
    this.#defs.set(def.name, def);
    return null;
  }

  get(name: string): PrincipalDefinition | undefined {
    return this.#defs.get(name);
  }

  names(): string[] {
    return [...this.#defs.keys()];
  }

  /** Every definition checked once: extends targets, cycles, unset entries, time units. */
  check(now: number): SuiteError[] {
    const errors: SuiteError[] = [];
    for (const def of this.#defs.values()) {
      const cycle = this.#cycleFrom(def);
      if (cycle !== null) {
        errors.push(
          suiteErrorAt(def.src.file, [...def.src.path, 'extends'], 'PRINCIPAL_CYCLE', `principal "${def.name}" extends itself: ${cycle.join(' → ')}`),
        );
        continue;
      }
      const token = this.#resolve(def, now, errors);
      errors.push(...this.#shapeErrors(def, token));
    }
    return errors;
  }

  /**
   * Claims of the resolved payload with a shape SuperTokens never writes, reported where this
   * principal writes (or unsets) them; a shape inherited unchanged is reported at the parent.
   */
  #shapeErrors(def: PrincipalDefinition, token: Claims): SuiteError[] {
    const errors: SuiteError[] = [];
    for (const problem of claimShapeProblems(token)) {
      const claim = problem.path[0]!;
      const written = def.doc.claims !== undefined && Object.hasOwn(def.doc.claims, claim);
      const unsetAt = (def.doc.unset ?? []).findIndex((entry) => pointerSteps(entry)[0] === claim);
      const at: DataPath | null = written ? [...def.src.path, 'claims', ...problem.path] : unsetAt !== -1 ? [...def.src.path, 'unset', unsetAt] : null;
      if (at === null) continue;
      errors.push(suiteErrorAt(def.src.file, at, 'CLAIM_SHAPE', `principal "${def.name}": ${problem.message}`));
    }
    return errors;
  }

  /** The payload of a checked principal at `now`. */
  resolve(name: string, now: number): Claims {
    const def = this.#defs.get(name);
    if (!def) throw new Error(`unknown principal ${name}`);
    return this.#resolve(def, now, undefined);
  }

  /** The extends chain back to `def` (`a → b → a`), or null when it ends. */
  #cycleFrom(def: PrincipalDefinition): string[] | null {
    const chain = [def.name];
    for (let d = def; d.doc.extends !== undefined; ) {
      const next = this.#defs.get(d.doc.extends);
      if (next === undefined) return null;
      chain.push(next.name);
      if (next === def) return chain;
      if (chain.indexOf(next.name) !== chain.length - 1) return null; // a cycle not through def
      d = next;
    }
    return null;
  }

  #resolve(def: PrincipalDefinition, now: number, errors: SuiteError[] | undefined, depth = 0): Claims {
    let base: Claims = {};
    const parentName = def.doc.extends;
    if (parentName !== undefined) {
      const parent = this.#defs.get(parentName);
      if (parent === undefined) {
        errors?.push(suiteErrorAt(def.src.file, [...def.src.path, 'extends'], 'PRINCIPAL_UNKNOWN', unknownPrincipal(parentName, this.names())));
      } else if (depth <= this.#defs.size) {
        // The parent's own errors are reported by its own check, once.
        base = this.#resolve(parent, now, undefined, depth + 1);
      }
    }
    return applyLayer(base, def.doc, now, def.src, errors);
  }
}

export function unknownPrincipal(name: string, known: readonly string[]): string {
  const near = closest(name, [...known, ANONYMOUS]);
  const list = known.length === 0 ? 'none are defined' : `known: ${[...known].sort().join(', ')}`;
  return `unknown principal "${name}"${near === null ? '' : ` (did you mean "${near}"?)`} (${list}; "anonymous" means no token)`;
}

/**
 * The clock a principal is shown at outside a case (`explain`, `diff`, `report`): the `now` of
 * the suite that defines it, so its relative times read as its author meant them.
 */
export function homeNow(def: PrincipalDefinition, suites: readonly { readonly file: string; readonly now: number }[]): number | undefined {
  return suites.find((s) => s.file === def.src.file.name)?.now;
}
