// Duplicate map keys. YAML allows the parser to keep the last one silently; in a policy that
// would hide a route or a requirement, so every repeat is an error pointing at the first.
import { isMap, isPair, isSeq } from 'yaml';
import type { PolicyError } from './errors.js';
import { keyString, positionOf, problemAt, type DataPath, type SourceFile } from './source.js';

export function findDuplicateKeys(file: SourceFile): PolicyError[] {
  const problems: PolicyError[] = [];
  const visit = (node: unknown, path: DataPath): void => {
    if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, [...path, i]));
      return;
    }
    if (!isMap(node)) return;
    const first = new Map<string, number>();
    const isRoutes = path.length === 1 && path[0] === 'routes';
    for (const pair of node.items) {
      // Stryker disable next-line ConditionalExpression: every item of a parsed map is a pair; this narrows the type.
      if (!isPair(pair)) continue;
      const key = keyString(pair.key);
      // Stryker disable next-line OptionalChaining: the parser gives every pair a key node with a range (an empty key is a null scalar).
      const at = (pair.key as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
      const seen = first.get(key);
      if (seen === undefined) {
        first.set(key, at);
      } else {
        const { line, col } = positionOf(file, seen);
        problems.push(
          isRoutes
            ? problemAt(file, at, 'ROUTE_DUPLICATE', `route "${key}" is defined twice (first at ${file.name}:${line}:${col})`)
            : problemAt(file, at, 'KEY_DUPLICATE', `key "${key}" appears twice in the same map (first at ${file.name}:${line}:${col})`),
        );
      }
      // An alias is neither a map nor a list, so visit stops there: its subtree is checked once,
      // where its anchor is defined.
      visit(pair.value, [...path, key]);
    }
  };
  visit(file.doc.contents, []);
  return problems;
}
