// Counts shown to users (`check`'s summary, `build`'s summary): one definition, so the two agree.
import type { Check, PolicyIR } from './ir.js';

/** Leaf requirements: each check of each route, each anyOf branch's checks counted, globals and defaults per route. */
export function countRequirements(checks: readonly Check[]): number {
  return checks.reduce((n, c) => n + (c.kind === 'anyOf' ? c.branches.reduce((m, b) => m + countRequirements(b), 0) : 1), 0);
}

export function policyCounts(ir: PolicyIR): { routes: number; publicRoutes: number; requirements: number } {
  return {
    routes: ir.routes.length,
    publicRoutes: ir.routes.filter((r) => r.public).length,
    requirements: ir.routes.reduce((n, r) => n + countRequirements(r.checks), 0),
  };
}
