// Finds and loads the policy's test suites: `policies/**/*.test.yaml` beside the entry file plus
// the globs in its `tests:`. Every problem in every suite is collected and positioned, then the
// load fails once (like loadPolicy). Requests are checked against the policy's routes here, so a
// case aimed at a route that does not exist is a suite error, not a silent deny.
import { dirname, relative, resolve, sep } from 'node:path';
import { byPath, filesMatching } from '../policy/globs.js';
import { findDuplicateKeys } from '../policy/duplicates.js';
import type { PolicyIR, SourceLocation } from '../policy/ir.js';
import { readPolicyFile } from '../policy/read.js';
import { offsetOf, parseSource, positionOf, type DataPath, type SourceFile } from '../policy/source.js';
import { sortSuiteErrors, SuiteError, suiteErrorAt } from './errors.js';
import { parseExpectation } from './expect.js';
import { isObject as isMap } from '../util/json.js';
import { applyLayer, PrincipalRegistry, unknownPrincipal } from './principals.js';
import { methodProblem, parseRequestLine, routeProblem } from './request.js';
import { validateSuite } from './suite-schema.js';
import {
  ANONYMOUS,
  type CaseDocument,
  type CellDocument,
  type Claims,
  type MatrixDocument,
  type SuiteDocument,
  type TestCase,
  type TestRequest,
  type TestSuite,
} from './suite.js';
import { absoluteTime, caseTime, DEFAULT_NOW } from './time.js';

/** Suites found without any `tests:` entry, relative to the entry file's directory. */
export const DEFAULT_SUITES = 'policies/**/*.test.yaml';

export interface LoadSuitesOptions {
  readonly ir: PolicyIR;
  /** The entry policy file (its `tests:` globs and directory). */
  readonly entryFile: string;
  /** Directory file names are reported relative to (the CLI passes its working directory). */
  readonly baseDir?: string;
}

export type LoadSuitesResult =
  | { readonly ok: true; readonly suites: readonly TestSuite[]; readonly principals: PrincipalRegistry; readonly files: readonly string[] }
  | { readonly ok: false; readonly errors: readonly SuiteError[] };

interface Parsed {
  readonly file: SourceFile;
  readonly doc: SuiteDocument;
}

export async function loadSuites(options: LoadSuitesOptions): Promise<LoadSuitesResult> {
  const entryPath = resolve(options.entryFile);
  const entryDir = dirname(entryPath);
  const baseDir = resolve(options.baseDir ?? entryDir);
  const nameOf = (abs: string): string => relative(baseDir, abs).split(sep).join('/');
  const errors: SuiteError[] = [];

  const paths = await discover(entryPath, nameOf(entryPath), entryDir, errors);
  const parsed: Parsed[] = [];
  for (const abs of paths) {
    const p = await parseSuiteFile(abs, nameOf(abs), errors);
    if (p !== null) parsed.push(p);
  }
  if (paths.length === 0 && errors.length === 0) {
    errors.push(
      new SuiteError({
        code: 'NO_TESTS',
        message: `no test suites: none match ${DEFAULT_SUITES} beside ${nameOf(entryPath)}, and it lists no "tests:"`,
        file: nameOf(entryPath),
        line: 1,
        col: 1,
      }),
    );
  }

  const principals = new PrincipalRegistry();
  for (const { file, doc } of parsed) {
    for (const [name, pdoc] of Object.entries(doc.principals ?? {})) {
      const clash = principals.add({ name, doc: pdoc, src: { file, path: ['principals', name] } });
      if (clash) {
        const first = positionOf(clash.src.file, offsetOf(clash.src.file, clash.src.path, 'key'));
        errors.push(
          suiteErrorAt(file, ['principals', name], 'PRINCIPAL_DUPLICATE', `principal "${name}" is already defined at ${clash.src.file.name}:${first.line}:${first.col}`, 'key'),
        );
      }
    }
  }
  errors.push(...principals.check(DEFAULT_NOW));

  const suites = parsed.map(({ file, doc }) => buildSuite(file, doc, options.ir, principals, errors));
  if (errors.length > 0) return { ok: false, errors: sortSuiteErrors(dedupe(errors)) };
  return { ok: true, suites, principals, files: parsed.map((p) => p.file.name) };
}

function dedupe(errors: readonly SuiteError[]): SuiteError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const id = `${e.file}:${e.line}:${e.col}:${e.code}:${e.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Default suites plus the entry's `tests:` globs; a `tests:` glob that matches nothing is an error. */
async function discover(entryPath: string, entryName: string, entryDir: string, errors: SuiteError[]): Promise<string[]> {
  const defaults = await filesMatching(DEFAULT_SUITES, entryDir);
  const found = new Set<string>(defaults.ok ? defaults.files : []);
  const read = await readPolicyFile(entryPath, entryName);
  if (read.ok) {
    const entry = parseSource(entryName, read.text).file;
    const tests = isMap(entry.data) ? entry.data['tests'] : undefined;
    if (Array.isArray(tests)) {
      for (const [i, pattern] of tests.entries()) {
        if (typeof pattern !== 'string' || pattern === '') continue; // the policy schema reports these
        // An invalid glob matches nothing (the policy's own check reports it as such).
        const match = await filesMatching(pattern, entryDir);
        const matches = match.ok ? match.files : [];
        if (matches.length === 0) {
          errors.push(suiteErrorAt(entry, ['tests', i], 'TESTS_NO_MATCH', `tests glob "${pattern}" matches no file`));
        }
        for (const m of matches) found.add(m);
      }
    }
  }
  return [...found].sort(byPath);
}


async function parseSuiteFile(abs: string, name: string, errors: SuiteError[]): Promise<Parsed | null> {
  const read = await readPolicyFile(abs, name);
  if (!read.ok) {
    errors.push(SuiteError.fromPolicyError(read.error));
    return null;
  }
  const parsed = parseSource(name, read.text);
  errors.push(...parsed.problems.map((p) => SuiteError.fromPolicyError(p)));
  if (!parsed.syntaxOk) return null;
  const duplicates = findDuplicateKeys(parsed.file).map((p) => SuiteError.fromPolicyError(p));
  errors.push(...duplicates);
  const v = validateSuite(parsed.file);
  if (!v.ok) {
    errors.push(...v.errors);
    return null;
  }
  return { file: parsed.file, doc: v.value };
}

function locationOf(file: SourceFile, path: DataPath, part: 'key' | 'value' = 'value'): SourceLocation {
  const { line, col } = positionOf(file, offsetOf(file, path, part));
  return { file: file.name, line, col };
}

function buildSuite(file: SourceFile, doc: SuiteDocument, ir: PolicyIR, principals: PrincipalRegistry, errors: SuiteError[]): TestSuite {
  const suiteNow = doc.now === undefined ? DEFAULT_NOW : absoluteTime(doc.now);
  if (suiteNow === null) errors.push(suiteErrorAt(file, ['now'], 'TIME_INVALID', `now: ${JSON.stringify(doc.now)} is not a valid date-time`));
  const now = suiteNow ?? DEFAULT_NOW;
  const cases: TestCase[] = [];
  const names = new Map<string, DataPath>();
  const add = (c: TestCase | null, path: DataPath): void => {
    if (c === null) return;
    const first = names.get(c.name);
    if (first !== undefined) {
      const at = locationOf(file, first);
      errors.push(suiteErrorAt(file, path, 'CASE_DUPLICATE', `case name "${c.name}" is already used at ${at.file}:${at.line}:${at.col}`));
      return;
    }
    names.set(c.name, path);
    cases.push(c);
  };
  const ctx: BuildContext = { file, ir, principals, errors, suiteNow: now };
  (doc.cases ?? []).forEach((c, i) => add(buildCase(ctx, c, ['cases', i]), ['cases', i]));
  (doc.matrix ?? []).forEach((m, i) => {
    for (const [path, c] of buildMatrix(ctx, m, ['matrix', i])) add(c, path);
  });
  return { file: file.name, name: doc.name ?? file.name, now, cases };
}

interface BuildContext {
  readonly file: SourceFile;
  readonly ir: PolicyIR;
  readonly principals: PrincipalRegistry;
  readonly errors: SuiteError[];
  readonly suiteNow: number;
}

function timeAt(ctx: BuildContext, value: number | string | undefined, path: DataPath): number {
  if (value === undefined) return ctx.suiteNow;
  const t = caseTime(value, ctx.suiteNow);
  if (t === null) ctx.errors.push(suiteErrorAt(ctx.file, path, 'TIME_INVALID', `${JSON.stringify(value)} is not a valid time`));
  return t ?? ctx.suiteNow;
}

/** The token of a named principal (null for anonymous), or undefined after reporting it unknown. */
function principalToken(ctx: BuildContext, name: string, path: DataPath): Claims | null | undefined {
  if (name === ANONYMOUS) return null;
  if (ctx.principals.get(name) === undefined) {
    ctx.errors.push(suiteErrorAt(ctx.file, path, 'PRINCIPAL_UNKNOWN', unknownPrincipal(name, ctx.principals.names())));
    return undefined;
  }
  return ctx.principals.resolve(name, ctx.suiteNow);
}

function buildCase(ctx: BuildContext, doc: CaseDocument, path: DataPath): TestCase | null {
  const request: TestRequest = typeof doc.request === 'string' ? parseRequestLine(doc.request) : doc.request;
  let token: Claims | null | undefined;
  let principal: string;
  if (doc.principal !== undefined) {
    principal = doc.principal;
    token = principalToken(ctx, doc.principal, [...path, 'principal']);
    if (token === null && (doc.claims !== undefined || doc.unset !== undefined)) {
      ctx.errors.push(suiteErrorAt(ctx.file, [...path, 'principal'], 'PRINCIPAL_UNKNOWN', '"anonymous" has no token to add claims to; use token: { … }'));
    } else if (token !== null && token !== undefined) {
      token = applyLayer(token, { claims: doc.claims, unset: doc.unset }, ctx.suiteNow, { file: ctx.file, path }, ctx.errors);
    }
  } else {
    principal = doc.token === null ? ANONYMOUS : 'inline token';
    token = doc.token === null || doc.token === undefined ? null : applyLayer({}, { claims: doc.token }, ctx.suiteNow, { file: ctx.file, path, claimsPath: [...path, 'token'] }, ctx.errors);
  }
  return finishCase(ctx, {
    name: doc.name,
    request,
    principal,
    token,
    now: timeAt(ctx, doc.now, [...path, 'now']),
    expectDoc: doc.expect,
    expectPath: [...path, 'expect'],
    requestPath: [...path, 'request'],
    at: locationOf(ctx.file, path),
  });
}

function* buildMatrix(ctx: BuildContext, m: MatrixDocument, path: DataPath): Generator<[DataPath, TestCase | null]> {
  const tokens = m.principals.map((name, j) => principalToken(ctx, name, [...path, 'principals', j]));
  const now = timeAt(ctx, m.now, [...path, 'now']);
  const label = m.name ?? `matrix ${String(path[1])}`;
  for (const [line, cells] of Object.entries(m.rows)) {
    const rowPath = [...path, 'rows', line];
    if (cells.length !== m.principals.length) {
      ctx.errors.push(
        suiteErrorAt(ctx.file, rowPath, 'MATRIX_ROW_LENGTH', `row "${line}" has ${cells.length} cells for ${m.principals.length} principals (${m.principals.join(', ')})`),
      );
      continue;
    }
    for (const [j, cell] of cells.entries()) {
      const name = m.principals[j]!;
      const cellPath = [...rowPath, j];
      yield [
        cellPath,
        finishCase(ctx, {
          name: `${label}: ${line} as ${name}`,
          request: parseRequestLine(line),
          principal: name,
          token: tokens[j],
          now,
          expectDoc: cell,
          expectPath: cellPath,
          requestPath: rowPath,
          at: locationOf(ctx.file, cellPath),
        }),
      ];
    }
  }
}

/** The value written at `path` in the suite file (to tell a request line from the object form). */
function lastStep(ctx: BuildContext, path: DataPath): unknown {
  let node: unknown = ctx.file.data;
  for (const step of path) node = isMap(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[step] : undefined;
  return node;
}

interface CaseParts {
  readonly name: string;
  readonly request: TestRequest;
  readonly principal: string;
  readonly token: Claims | null | undefined;
  readonly now: number;
  readonly expectDoc: CellDocument;
  readonly expectPath: DataPath;
  readonly requestPath: DataPath;
  readonly at: SourceLocation;
}

function finishCase(ctx: BuildContext, p: CaseParts): TestCase | null {
  const badMethod = methodProblem(p.request.method);
  if (badMethod !== null) {
    const rowKey = p.requestPath.includes('rows');
    // A request line is one scalar; the object form has its own `method`.
    const at = rowKey || typeof lastStep(ctx, p.requestPath) === 'string' ? p.requestPath : [...p.requestPath, 'method'];
    ctx.errors.push(suiteErrorAt(ctx.file, at, 'METHOD_UNKNOWN', badMethod, rowKey ? 'key' : 'value'));
    return null;
  }
  const parsed = parseExpectation(p.expectDoc);
  if (!parsed.ok) {
    ctx.errors.push(suiteErrorAt(ctx.file, p.expectPath, 'EXPECT_INVALID', parsed.message));
    return null;
  }
  const problem = routeProblem(ctx.ir, p.request, parsed.expect);
  if (problem !== null) {
    ctx.errors.push(suiteErrorAt(ctx.file, p.requestPath, problem.code, problem.message, p.requestPath.includes('rows') ? 'key' : 'value'));
    return null;
  }
  if (p.token === undefined) return null; // unknown principal, reported
  return {
    name: p.name,
    suite: ctx.file.name,
    at: p.at,
    request: p.request,
    requestLine: `${p.request.method} ${p.request.path}`,
    principal: p.principal,
    token: p.token,
    now: p.now,
    expect: parsed.expect,
  };
}
