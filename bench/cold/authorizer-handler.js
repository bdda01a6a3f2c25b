// The same route behind claimguard/authorizer: an HTTP API Lambda authorizer on the compiled bundle
// that checks the token itself against the issuer's JWKS (fetched at cold start, beside the bundle
// load), or against keys pinned in CLAIMGUARD_JWKS. Bundled by esbuild in bench/cold/run.js, or
// imported from lib/ with node_modules.
import { createAuthorizer, loadBundle } from '../../lib/authorizer/index.js';

export let handler;

export async function start() {
  const authorizer = loadBundle(process.env.CLAIMGUARD_BUNDLE);
  const keys = process.env.CLAIMGUARD_JWKS === undefined ? { jwksUrl: process.env.CLAIMGUARD_JWKS_URL } : { jwks: JSON.parse(process.env.CLAIMGUARD_JWKS) };
  handler = createAuthorizer({ authorizer, log: false, verify: { ...keys, issuer: 'https://api.example.com/auth', audience: 'jwtAuthorizers' } });
  await authorizer;
}
