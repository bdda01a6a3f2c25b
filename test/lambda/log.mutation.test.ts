// createLogWriter (src/lambda/log.ts): `include` copies only the token's own claims. Found by
// mutation testing (CONTRIBUTING.md, "Mutation testing").
import { describe, expect, it } from 'vitest';
import { createLogWriter, type DecisionLogEntry } from '../../src/lambda/log.js';
import { logSink } from './fixtures.js';

const ENTRY: DecisionLogEntry = {
  decisionId: 'd1',
  time: '2024-04-05T19:34:40.000Z',
  revision: 'r1',
  route: 'GET /health',
  routeKey: 'GET /health',
  method: 'GET',
  path: '/health',
  allow: true,
  status: 200,
  reasons: [],
  evalMicros: 1.5,
};

describe('createLogWriter with include', () => {
  it('copies a named claim only when the token has it as its own: an inherited value is not the token\'s', () => {
    const log = logSink();
    const write = createLogWriter({ sink: log.sink, include: ['sub', 'role'] })!;
    const token = Object.create({ role: 'admin' }) as Record<string, unknown>;
    token['sub'] = 'u1';
    write(ENTRY, token);
    expect(log.lines).toEqual([{ ...ENTRY, claims: { sub: 'u1' } }]);
  });
});
