// The principals a review decides for: every principal of the test suites, each at the clock of
// the suite that defines it, and `anonymous` (no token).
import { PrincipalRegistry, homeNow } from '../testing/principals.js';
import { ANONYMOUS, type TestSuite } from '../testing/suite.js';
import { DEFAULT_NOW } from '../testing/time.js';
import type { ReviewPrincipal } from './access.js';

export function reviewPrincipals(registry: PrincipalRegistry, suites: readonly TestSuite[]): ReviewPrincipal[] {
  const out: ReviewPrincipal[] = registry.names().map((name) => {
    const now = homeNow(registry.get(name)!, suites) ?? DEFAULT_NOW;
    return { name, token: registry.resolve(name, now), now, tokenAt: (at: number) => registry.resolve(name, at) };
  });
  out.push({ name: ANONYMOUS, token: null, now: suites[0]?.now ?? DEFAULT_NOW, tokenAt: () => null });
  return out;
}
