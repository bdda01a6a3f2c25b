// loadPolicy: entry file + included rule files → PolicyIR, or every problem in every file.
// Nothing here throws for a bad policy; each problem is a positioned PolicyError.
import { dirname, relative, resolve, sep } from 'node:path';
import type { EntryDocument, RuleDocument } from './document.js';
import { byPath, filesMatching } from './globs.js';
import { findDuplicateKeys } from './duplicates.js';
import { sortProblems, type PolicyError } from './errors.js';
import type { PolicyIR } from './ir.js';
import { normalize } from './normalize.js';
import { readPolicyFile } from './read.js';
import { validateEntry, validateRule } from './schema.js';
import { semanticProblems } from './semantic.js';
import { parseSource, problemAtPath, type SourceFile } from './source.js';

export type LoadResult =
  | {
      readonly ok: true;
      readonly ir: PolicyIR;
      /** Every file read, as named in problems and in the IR: the entry first, then includes in order. */
      readonly files: readonly string[];
      readonly warnings: readonly PolicyError[];
    }
  | { readonly ok: false; readonly errors: readonly PolicyError[]; readonly warnings: readonly PolicyError[] };

export interface LoadOptions {
  /**
   * Directory file names are reported relative to (`/`-separated). Defaults to the entry file's
   * directory, which keeps the IR the same on every machine; the CLI passes its working directory.
   */
  readonly baseDir?: string;
}

/** Included files with these names are policy test suites, not rules. */
const TEST_SUITE = /\.test\.ya?ml$/;

interface Loaded {
  readonly file: SourceFile;
  /** Parsed without YAML errors, so its data can be validated. */
  readonly syntaxOk: boolean;
}

export async function loadPolicy(entryFile: string, options: LoadOptions = {}): Promise<LoadResult> {
  const entryPath = resolve(entryFile);
  const entryDir = dirname(entryPath);
  const baseDir = resolve(options.baseDir ?? entryDir);
  const nameOf = (abs: string): string => relative(baseDir, abs).split(sep).join('/');
  // Stryker disable next-line ArrayDeclaration: finish keeps only problems of severity error or warning; a foreign first element is ranked last and dropped
  const problems: PolicyError[] = [];

  const entry = await loadFile(entryPath, nameOf(entryPath), problems);
  // Stryker disable next-line ArrayDeclaration: the entry's read problem is then the only problem, so the file order cannot change the report
  if (entry === null) return finish(problems, [nameOf(entryPath)], null);

  const includePaths = await resolveIncludes(entry.file, entryDir, entryPath, problems);
  const rules: Loaded[] = [];
  for (const abs of includePaths) {
    const loaded = await loadFile(abs, nameOf(abs), problems);
    if (loaded !== null) rules.push(loaded);
  }

  let entryDoc: EntryDocument | null = null;
  if (entry.syntaxOk) {
    const v = validateEntry(entry.file);
    if (v.ok) entryDoc = v.value;
    else problems.push(...v.problems);
  }
  const ruleDocs: { file: SourceFile; doc: RuleDocument }[] = [];
  for (const rule of rules) {
    if (!rule.syntaxOk) continue;
    const v = validateRule(rule.file, entry.file.name);
    if (v.ok) ruleDocs.push({ file: rule.file, doc: v.value });
    else problems.push(...v.problems);
  }
  problems.push(...semanticProblems(entry.file, rules.map((r) => r.file)));

  const files = [entry.file.name, ...includePaths.map(nameOf)];
  // Every included file read and validated, so normalize would see the whole policy.
  const everyRule = ruleDocs.length === rules.length && rules.length === includePaths.length;
  return finish(problems, files, () =>
    entryDoc !== null && everyRule ? normalize({ entry: { file: entry.file, doc: entryDoc }, rules: ruleDocs }) : null,
  );
}

function finish(problems: readonly PolicyError[], files: readonly string[], build: (() => PolicyIR | null) | null): LoadResult {
  const sorted = sortProblems(problems, files);
  const errors = sorted.filter((p) => p.severity === 'error');
  const warnings = sorted.filter((p) => p.severity === 'warning');
  if (errors.length > 0 || build === null) return { ok: false, errors, warnings };
  const ir = build();
  // Unreachable: without errors every file validated. Fail closed rather than return a partial IR.
  if (ir === null) throw new Error('loadPolicy: no errors reported but the policy could not be normalized');
  return { ok: true, ir, files, warnings };
}

async function loadFile(abs: string, name: string, problems: PolicyError[]): Promise<Loaded | null> {
  const read = await readPolicyFile(abs, name);
  if (!read.ok) {
    problems.push(read.error);
    return null;
  }
  const parsed = parseSource(name, read.text);
  problems.push(...parsed.problems);
  if (parsed.syntaxOk) problems.push(...findDuplicateKeys(parsed.file));
  return { file: parsed.file, syntaxOk: parsed.syntaxOk };
}

/** The rule files `include:` names, sorted and without repeats, test suites or the entry itself. */
async function resolveIncludes(entry: SourceFile, entryDir: string, entryPath: string, problems: PolicyError[]): Promise<string[]> {
  const data = entry.data;
  // Stryker disable next-line ConditionalExpression: reading "include" of a string, number or boolean also gives undefined; the typeof only narrows the type (null and lists are pinned by tests)
  const include = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>)['include'] : undefined;
  if (!Array.isArray(include)) return [];
  const found = new Set<string>();
  for (const [i, pattern] of include.entries()) {
    if (typeof pattern !== 'string' || pattern === '') continue; // the schema reports these
    const match = await filesMatching(pattern, entryDir);
    if (!match.ok) {
      problems.push(problemAtPath(entry, ['include', i], 'VALUE_INVALID', `include glob ${match.message}`));
      continue;
    }
    const matches = match.files;
    const rules = matches.filter((m) => m !== entryPath && !TEST_SUITE.test(m));
    if (rules.length === 0) {
      const tests = matches.length > rules.length ? ' (only test suites or the entry file itself)' : '';
      problems.push(problemAtPath(entry, ['include', i], 'INCLUDE_NO_MATCH', `include glob "${pattern}" matches no rule file${tests}`));
    }
    for (const r of rules) found.add(r);
  }
  return [...found].sort(byPath);
}
