// The one JSON-object test every module shares: a non-null, non-array object (what JSON.parse
// returns for `{…}`). Own-property reads go through `own` so `__proto__` stays data.

export type JsonObject = Record<string, unknown>;

export const isObject = (x: unknown): x is JsonObject => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Own-property read: `__proto__` and friends are data here, never the prototype chain. */
export const own = (o: JsonObject, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);
