// One parsed policy file: its text, YAML document (with positions) and plain data, plus the
// lookups that turn a data path (`routes/GET /a/require/mfa`) back into `file:line:col`.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { PolicyError, type PolicyErrorCode, type Severity } from './errors.js';

/** A path into the plain data: object keys and array indexes. */
export type DataPath = readonly (string | number)[];

export interface SourceFile {
  /** How problems and the IR name the file (relative to the load's base directory, `/`-separated). */
  readonly name: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** `doc.toJS()`: what the schema validates and normalize reads. */
  readonly data: unknown;
}

export interface Position {
  readonly line: number;
  readonly col: number;
}

export interface ParsedSource {
  readonly file: SourceFile;
  /** YAML problems; when any is not a duplicate key, `data` is not trustworthy. */
  readonly problems: readonly PolicyError[];
  readonly syntaxOk: boolean;
}

/** Parses YAML keeping positions. Duplicate keys are reported by `findDuplicateKeys`, with context. */
export function parseSource(name: string, text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const shell: SourceFile = { name, text, doc, lineCounter, data: null };
  const problems = [...doc.errors, ...doc.warnings].map((e) =>
    problemAt(shell, e.pos[0], 'YAML_SYNTAX', yamlMessage(e.message)),
  );
  let data: unknown = null;
  if (problems.length === 0) {
    try {
      data = doc.toJS();
    } catch (cause) {
      // e.g. too many aliases (billion laughs) or an alias to an anchor defined later.
      problems.push(problemAt(shell, 0, 'YAML_SYNTAX', cause instanceof Error ? cause.message : String(cause)));
    }
  }
  return { file: { ...shell, data }, problems, syntaxOk: problems.length === 0 };
}

/** yaml's message as is (prettyErrors is off, so it carries no "at line N, column M" excerpt). */
function yamlMessage(message: string): string {
  // Stryker disable next-line MethodExpression: yaml's messages carry no surrounding whitespace; trim only guards the comparison below.
  const plain = message.trim();
  return plain.startsWith('Source contains multiple documents') ? 'a policy file holds one YAML document: remove "---" and what follows, or move it to its own file' : plain;
}

export function positionOf(file: SourceFile, offset: number): Position {
  const { line, col } = file.lineCounter.linePos(Math.max(0, Math.min(offset, file.text.length)));
  return { line, col };
}

export function sourceLineAt(file: SourceFile, line: number): string | null {
  const text = file.text.split('\n')[line - 1];
  return text === undefined ? null : text.replace(/\r$/, '');
}

export function problemAt(
  file: SourceFile,
  offset: number,
  code: PolicyErrorCode,
  message: string,
  severity: Severity = 'error',
): PolicyError {
  const { line, col } = positionOf(file, offset);
  return new PolicyError({ code, message, file: file.name, line, col, severity, sourceLine: sourceLineAt(file, line) });
}

/** The node holding `path`'s value, following aliases. The last pair wins, like `toJS`. */
function pairAndValue(file: SourceFile, path: DataPath): { keyNode: Node | null; valueNode: Node | null; depth: number } {
  let node: unknown = file.doc.contents;
  let keyNode: Node | null = null;
  let depth = 0;
  for (const step of path) {
    if (isAlias(node)) node = node.resolve(file.doc);
    if (isMap(node)) {
      const pair = lastPair(node, String(step));
      if (pair === undefined) break;
      keyNode = (pair.key as Node | null) ?? null;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step];
      if (item === undefined) break;
      keyNode = null;
      node = item;
    } else {
      break;
    }
    depth++;
  }
  if (isAlias(node)) node = node.resolve(file.doc) ?? node;
  // Stryker disable next-line ConditionalExpression: besides a node, the path can end on null (an empty document) or undefined (an alias to a later anchor), which give no position either way; the whole test only narrows the type (its parts are pinned: a null or undefined here must not throw).
  const valueNode = node !== null && typeof node === 'object' && 'range' in node ? (node as Node) : null;
  return { keyNode, valueNode, depth };
}

/** Per-map key index, so locating N routes' checks costs O(N), not O(N²), on big policies. */
const pairIndex = new WeakMap<object, Map<string, Pair>>();

function lastPair(map: { readonly items: readonly unknown[] }, key: string): Pair | undefined {
  let index = pairIndex.get(map);
  // Stryker disable next-line ConditionalExpression: a cache; building the index again gives the same pairs.
  if (index === undefined) {
    index = new Map();
    // Later pairs overwrite earlier ones: the last duplicate wins, as in `toJS`.
    // Stryker disable next-line ConditionalExpression: every item of a parsed map is a pair; this narrows the type.
    for (const p of map.items) if (isPair(p)) index.set(keyString(p.key), p);
    pairIndex.set(map, index);
  }
  return index.get(key);
}

/** A map key as `toJS` turns it into an object key. */
export function keyString(key: unknown): string {
  // toJS names a null key (`~:`, `null:`, an empty `? `) "", as it names `"":`; a scalar's String()
  // would say "null", which would both miss that repeat and confuse `null:` with `"null":`.
  if (key === null || key === undefined || (isScalar(key) && key.value === null)) return '';
  return String(key);
}

/**
 * Offset of what `path` names: its key (`part: 'key'`, for unknown or misplaced keys) or its
 * value. Falls back to the closest enclosing node when the path runs out.
 */
// Stryker disable next-line StringLiteral: any part but 'key' is the value.
export function offsetOf(file: SourceFile, path: DataPath, part: 'key' | 'value' = 'value'): number {
  const { keyNode, valueNode, depth } = pairAndValue(file, path);
  const complete = depth === path.length;
  // Stryker disable next-line OptionalChaining: every node of a parsed document has a range.
  const key = keyNode?.range?.[0];
  // Stryker disable next-line OptionalChaining: every node of a parsed document has a range.
  const value = valueNode?.range?.[0];
  // An empty value (`mfa:`) has no useful position of its own: point at its key.
  const emptyValue = isScalar(valueNode) && valueNode.value === null;
  if (complete && part !== 'key' && value !== undefined && !emptyValue) return value;
  if (key !== undefined) return key;
  return value ?? 0;
}

export function problemAtPath(
  file: SourceFile,
  path: DataPath,
  code: PolicyErrorCode,
  message: string,
  // Stryker disable next-line StringLiteral: any part but 'key' is the value.
  part: 'key' | 'value' = 'value',
  severity: Severity = 'error',
): PolicyError {
  return problemAt(file, offsetOf(file, path, part), code, message, severity);
}

/** Keys of the map at `path` in written order (plain objects reorder integer-like keys). */
export function keysInOrder(file: SourceFile, path: DataPath): string[] {
  const { valueNode, depth } = pairAndValue(file, path);
  if (depth !== path.length || !isMap(valueNode)) return [];
  return valueNode.items.map((p) => keyString(p.key));
}
