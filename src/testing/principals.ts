// Principals: named token payloads shared by every suite of a run. A principal may `extends`
// another: the parent's payload, minus `unset` (claim names or JSON Pointers), then `claims`
// deep-merged on top (maps merge key by key, lists and scalars replace, `null` sets JSON null).
// Time sugar (`now-5m`) is resolved against the `now` of the suite that uses the principal.
import type { DataPath, SourceFile } from '../policy/source.js';
import { suiteErrorAt, type SuiteError } from './errors.js';
import type { Claims, PrincipalDocument } from './suite.js';
import { claimTime } from './time.js';

type Json = { [key: string]: unknown };

const isMap = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

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

/** Replaces time sugar with numbers; reports `now-5m` where the unit is not known. */
function resolveTimes(value: unknown, tokenPath: string[], now: number, onAmbiguous: (tokenPath: string[]) => void): unknown {
  if (typeof value === 'string') {
    const t = claimTime(value, tokenPath, now);
    if (t.kind === 'value') return t.value;
    if (t.kind === 'ambiguous') onAmbiguous(tokenPath);
    return value;
  }
  if (Array.isArray(value)) return value;
  if (isMap(value)) {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveTimes(v, [...tokenPath, k], now, onAmbiguous);
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
  const claims = resolveTimes(layer.claims ?? {}, [], now, (tokenPath) => {
    errors?.push(
      suiteErrorAt(
        src.file,
        [...(src.claimsPath ?? [...src.path, 'claims']), ...tokenPath],
        'TIME_UNIT_AMBIGUOUS',
        `"${tokenPath.join('.')}" is not a known time field, so the unit of this time is unclear: write ms(…) or s(…)`,
      ),
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
      this.#resolve(def, now, errors);
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
  const list = known.length === 0 ? 'none are defined' : `known: ${[...known].sort().join(', ')}`;
  return `unknown principal "${name}" (${list}; "anonymous" means no token)`;
}
