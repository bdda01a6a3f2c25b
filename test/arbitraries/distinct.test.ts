// fc.gen() values do not advance their parent's random source: an array of them would repeat one
// value, and a "20,000 case" differential would test a few hundred. Pin that the generators vary.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbCases } from './index.js';
import { arbHostileText } from '../compile/differential.js';
import { arbInputFor, arbPolicyIR } from './index.js';

describe('batches of generated inputs', () => {
  it('are (almost) all distinct', () => {
    for (const { inputs } of fc.sample(arbCases({ min: 40, max: 40 }), { numRuns: 10 })) {
      expect(new Set(inputs.map((i) => JSON.stringify(i))).size).toBeGreaterThan(30);
    }
  });

  it('hostile texts too', () => {
    const arb = arbPolicyIR().chain((ir) => fc.array(arbHostileText(arbInputFor(ir), { escapeKeys: 25 }), { minLength: 20, maxLength: 20 }));
    for (const texts of fc.sample(arb, { numRuns: 5 })) {
      expect(new Set(texts.map((t) => t.text)).size).toBeGreaterThan(15);
    }
  });
});
