// JSON values as the policy writes them and as tokens carry them.
import fc from 'fast-check';
import type { JsonValue } from '../../src/policy/ir.js';
import { JSON_NUMBERS, JSON_STRINGS } from './vocab.js';

/** Builds an object whose keys are all own data properties, `__proto__` included (as JSON.parse does). */
export function jsonObject(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

const OBJECT_KEYS = ['a', 'b', 'c', 'v', 't', '__proto__', 'ü', ''];

const arbLeaf: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(...JSON_NUMBERS),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(...JSON_STRINGS),
  fc.string({ unit: 'binary', maxLength: 5 }),
);

/** Any JSON value (no -0, NaN or ±Infinity: they do not survive JSON), nested up to maxDepth. */
export function arbJsonValue(maxDepth = 2): fc.Arbitrary<JsonValue> {
  if (maxDepth <= 0) return arbLeaf;
  const inner = arbJsonValue(maxDepth - 1);
  return fc.oneof(
    { weight: 5, arbitrary: arbLeaf },
    { weight: 1, arbitrary: fc.array(inner, { maxLength: 3 }) },
    {
      weight: 1,
      arbitrary: fc
        .uniqueArray(fc.tuple(fc.constantFrom(...OBJECT_KEYS), inner), { maxLength: 3, selector: ([k]) => k })
        .map((entries) => jsonObject(entries) as JsonValue),
    },
  );
}

/** Deterministic reordering of every object's keys (a JSON-equal copy), from a seed. */
export function reorderKeys(v: unknown, seed: number): unknown {
  if (Array.isArray(v)) return v.map((x, i) => reorderKeys(x, seed + i + 1));
  if (typeof v !== 'object' || v === null) return v;
  const entries = Object.keys(v).map((k) => [k, reorderKeys((v as Record<string, unknown>)[k], seed * 31 + k.length)] as const);
  let s = seed >>> 0;
  for (let i = entries.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return jsonObject(entries);
}

/** A deep copy of v that is JSON-equal to it, with object keys in another order. */
export function arbJsonEqualCopy(v: unknown): fc.Arbitrary<unknown> {
  return fc.nat().map((seed) => reorderKeys(v, seed));
}
