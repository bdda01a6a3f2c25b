// dataPath (paths.ts) where a pointer step is a number only by Number(): the step that follows is
// read in the list element it names, so the rest of the path keeps its numbers. Found by mutation
// testing (CONTRIBUTING.md, "Mutation testing").
import { expect, it } from 'vitest';
import { dataPath } from '../../src/policy/paths.js';

it('a list index written with a leading zero still names the element, and the steps under it are read there', () => {
  const data = { a: [[5, 6], [{ b: [7] }]] };
  expect(dataPath('/a/00/1', data)).toEqual(['a', 0, 1]);
  expect(dataPath('/a/01/0/b/0', data)).toEqual(['a', 1, 0, 'b', 0]);
});

it('a step under a missing element or a scalar is a name, whatever it looks like', () => {
  expect(dataPath('/a/9/0/x', { a: [[1]] })).toEqual(['a', 9, '0', 'x']);
  expect(dataPath('/a/0/1', { a: ['xy'] })).toEqual(['a', 0, '1']);
});
