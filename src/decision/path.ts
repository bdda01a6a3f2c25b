// Path canonical form (docs/decision.md): anything a proxy, decoder or framework could read differently
// from API Gateway is refused rather than guessed at.

/**
 * Code units refused anywhere in a path: C0 controls, DEL and C1 controls. A declaration rather
 * than an arrow constant, so that a mutation test's change to it takes effect when it is called,
 * not only when the module loads.
 */
function isControl(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

/** Splits a request path into segments, or returns null when the path is refused (PATH_REJECTED). */
export function splitPath(path: string): string[] | null {
  if (!path.startsWith('/')) return null;
  // Stryker disable next-line EqualityOperator: one step past the end reads NaN, which is no refused character.
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 0x5c /* \ */ || c === 0x25 /* % */ || isControl(c)) return null;
  }
  if (path === '/') return [];
  const segments = path.slice(1).split('/');
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..') return null;
  }
  return segments;
}
