// A stand-in for the SuperTokens core on 127.0.0.1 — NOT the real core. It answers only the few
// CDI endpoints the tested routes need (`/apiversion`, the JWKS, user lookup, session creation),
// signs access tokens with a locally generated RS256 key the way the core shapes them (v5 header,
// protected claims + `userDataInJWT`), and records every request so tests can see what the SDK sent.
// `users` are email-password users it knows (their email counted as verified); others are unknown.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

export interface CoreRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

export interface CoreStandIn {
  readonly url: string;
  readonly requests: CoreRequest[];
  readonly jwk: JWK;
  close(): Promise<void>;
}

const KID = 'd-1712345000000';

export async function startCoreStandIn(options: { now?: () => number; users?: Record<string, string> } = {}): Promise<CoreStandIn> {
  const now = options.now ?? Date.now;
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  const requests: CoreRequest[] = [];

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://core');
        const text = Buffer.concat(chunks).toString('utf8');
        const body: unknown = text === '' ? undefined : JSON.parse(text);
        requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });
        const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(json));
        };
        const route = `${req.method} ${url.pathname}`;
        if (route === 'GET /apiversion') return send(200, { versions: ['5.4'] });
        if (route === 'GET /.well-known/jwks.json') return send(200, { keys: [jwk] }, { 'cache-control': 'max-age=60, must-revalidate' });
        if (route === 'GET /user/id') {
          const id = url.searchParams.get('userId') ?? '';
          const email = options.users?.[id];
          if (email === undefined) return send(200, { status: 'UNKNOWN_USER_ID_ERROR' });
          const timeJoined = 1712345000000;
          const method = { recipeId: 'emailpassword', recipeUserId: id, tenantIds: ['public'], email, timeJoined, verified: true };
          const user = { id, isPrimaryUser: false, tenantIds: ['public'], emails: [email], phoneNumbers: [], thirdParty: [], webauthn: { credentialIds: [] }, timeJoined, loginMethods: [method] };
          return send(200, { status: 'OK', user });
        }
        if (route === 'GET /recipe/user/email/verify') return send(200, { status: 'OK', isVerified: options.users?.[url.searchParams.get('userId') ?? ''] !== undefined });
        if (route === 'POST /public/recipe/session') {
          const b = body as { userId: string; userDataInJWT: Record<string, unknown> };
          const iat = Math.floor(now() / 1000);
          const handle = randomUUID();
          const payload = {
            ...b.userDataInJWT,
            sub: b.userId,
            rsub: b.userId,
            tId: 'public',
            sessionHandle: handle,
            refreshTokenHash1: 'f'.repeat(64),
            parentRefreshTokenHash1: null,
            antiCsrfToken: null,
          };
          const token = await new SignJWT(payload)
            .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT', version: '5' })
            .setIssuedAt(iat)
            .setExpirationTime(iat + 3600)
            .sign(privateKey);
          return send(200, {
            status: 'OK',
            session: { handle, userId: b.userId, recipeUserId: b.userId, userDataInJWT: b.userDataInJWT, tenantId: 'public' },
            accessToken: { token, expiry: (iat + 3600) * 1000, createdTime: iat * 1000 },
            refreshToken: { token: 'refresh-token', expiry: (iat + 8640000) * 1000, createdTime: iat * 1000 },
          });
        }
        return send(404, { message: `stand-in core does not serve ${route}` });
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    jwk,
    close: () => new Promise<void>((r, j) => server.close((e) => (e ? j(e) : r()))),
  };
}
