import { expect, it } from 'vitest';
import { PolicyError } from '../../src/policy/errors.js';

it('formats file:line:col, the code, the source line and a caret under the column', () => {
  const e = new PolicyError({
    code: 'KEY_UNKNOWN',
    message: 'unknown key "rolse"',
    file: 'policies.yaml',
    line: 5,
    col: 16,
    sourceLine: '    require: { rolse: { anyOf: [a] } }',
  });
  expect(e).toBeInstanceOf(Error);
  expect(e.format()).toBe(
    [
      'policies.yaml:5:16: error KEY_UNKNOWN: unknown key "rolse"',
      '      require: { rolse: { anyOf: [a] } }',
      '                 ^',
    ].join('\n'),
  );
  expect(e.toJSON()).toEqual({ code: 'KEY_UNKNOWN', file: 'policies.yaml', line: 5, col: 16, message: 'unknown key "rolse"', severity: 'error' });
});

it('keeps tabs in the pointer indent and omits the source for file-level problems', () => {
  const tab = new PolicyError({ code: 'YAML_SYNTAX', message: 'm', file: 'f', line: 1, col: 3, sourceLine: '\tab', severity: 'warning' });
  expect(tab.format()).toBe('f:1:3: warning YAML_SYNTAX: m\n  \tab\n  \t ^');
  expect(new PolicyError({ code: 'FILE_NOT_FOUND', message: 'gone', file: 'f', line: 1, col: 1 }).format()).toBe(
    'f:1:1: error FILE_NOT_FOUND: gone',
  );
});
