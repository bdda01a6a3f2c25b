// The benchmark scenario: a policy of N routes whose target is
// `DELETE /orders/{orderId}` needing any of [admin], a verified email, completed MFA and the
// audience; a SuperTokens-shaped token of about 560 bytes of JSON.

export const NOW = 1712345680000;

export const TOKEN = {
  sub: 'fa7a0841-b533-4478-9553-0fde890c3483',
  aud: 'jwtAuthorizers',
  iat: 1712345678,
  exp: 1712349278,
  tId: 'public',
  rsub: 'fa7a0841-b533-4478-9553-0fde890c3483',
  sessionHandle: '3f8e6c1a-2b7d-4e1f-9a0c-5d4b3a2e1f00',
  refreshTokenHash1: 'b3c1e7a9d2f4c6b8a0e1d3f5c7b9a1e3d5f7c9b1a3e5d7f9c1b3a5e7d9f1c3b5',
  parentRefreshTokenHash1: null,
  antiCsrfToken: null,
  iss: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/auth',
  'st-ev': { v: true, t: 1712345678901 },
  'st-role': { v: ['admin', 'user'], t: 1712345678901 },
  'st-perm': { v: ['orders:read', 'orders:delete'], t: 1712345678901 },
  'st-mfa': { c: { emailpassword: 1712345670, totp: 1712345678 }, v: true },
};

export const INPUT = {
  request: {
    method: 'DELETE',
    routeKey: 'DELETE /orders/{orderId}',
    path: '/orders/42',
    pathParameters: { orderId: '42' },
  },
  token: TOKEN,
  now: NOW,
};

const RESOURCES = ['invoices', 'customers', 'products', 'shipments', 'carts', 'reviews', 'coupons', 'stores'];

/**
 * Route keys of an N-route API: realistic filler with the target routes in the middle, so engines
 * that scan their rules (casbin stops at the first allow) pay the average case, not the best.
 */
export function routeKeys(n) {
  const targets = ['DELETE /orders/{orderId}', 'GET /orders/{orderId}', 'GET /health'];
  const filler = [];
  for (let i = 0; filler.length < n - targets.length; i++) {
    const r = `${RESOURCES[i % RESOURCES.length]}${Math.floor(i / RESOURCES.length)}`;
    filler.push([`GET /${r}`, `POST /${r}`, `GET /${r}/{id}`, `PUT /${r}/{id}`, `DELETE /${r}/{id}`][i % 5]);
  }
  const middle = Math.floor(filler.length / 2);
  return [...filler.slice(0, middle), ...targets, ...filler.slice(middle)].slice(0, Math.max(n, targets.length));
}

/** The policy file text for N routes (what a security team would write). */
export function policyYaml(n) {
  const lines = [
    'version: 1',
    'audience: jwtAuthorizers',
    'defaults:',
    '  require: { emailVerified: true }',
    'routes:',
  ];
  for (const key of routeKeys(n)) {
    if (key === 'GET /health') lines.push(`  "${key}": { public: true }`);
    else if (key === 'DELETE /orders/{orderId}') lines.push(`  "${key}":`, '    require: { roles: { anyOf: [admin] }, mfa: true }');
    else lines.push(`  "${key}":`, '    require: { roles: { anyOf: [admin, user] } }');
  }
  return `${lines.join('\n')}\n`;
}
