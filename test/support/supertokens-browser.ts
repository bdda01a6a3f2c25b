// A browser for supertokens-website in Node: as much of one as its fetch interceptor and
// browser-tabs-lock read (window, local and session storage, document.cookie with a jar, location,
// history), and the headers SuperTokens' backend sends with new tokens. Shared by the frontend
// tests of claimguard/lambda and claimguard/authorizer (each file runs in its own worker).

function storage(): Storage {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, String(v)),
    removeItem: (k) => void m.delete(k),
    clear: () => m.clear(),
    key: (i) => [...m.keys()][i] ?? null,
    get length() {
      return m.size;
    },
  };
}

/** `document.cookie` with a jar: `name=value; expires=…` sets (or, when expired, deletes) one cookie. */
function cookieJar() {
  const jar = new Map<string, string>();
  return {
    jar,
    get cookie(): string {
      return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    },
    set cookie(text: string) {
      const [pair, ...attrs] = text.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const expires = attrs.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('expires='));
      if (expires !== undefined && Date.parse(expires.slice(8)) < Date.now()) jar.delete(name);
      else jar.set(name, pair!.slice(eq + 1).trim());
    },
  };
}

const ORIGIN = 'http://127.0.0.1:5173';

/** The globals supertokens-website reads, as one `window` (assign it to globalThis.window). */
export function fakeBrowser() {
  const document = cookieJar();
  const browser = {
    fetch: globalThis.fetch.bind(globalThis),
    localStorage: storage(),
    sessionStorage: storage(),
    document,
    location: { href: `${ORIGIN}/`, origin: ORIGIN, hostname: '127.0.0.1', host: '127.0.0.1:5173', protocol: 'http:', pathname: '/', search: '', hash: '', assign() {}, reload() {} },
    history: { replaceState() {}, pushState() {}, getState: () => null },
    addEventListener() {},
    removeEventListener() {},
    window: undefined as unknown,
  };
  browser.window = browser;
  return { browser, document };
}

/** What SuperTokens' backend sends with new tokens (header-based sessions). */
export function sessionHeaders(accessToken: string): Record<string, string> {
  const payload = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  const front = { uid: payload.sub, ate: Date.now() + 3_600_000, up: payload };
  return {
    'st-access-token': accessToken,
    'st-refresh-token': `rt-${Math.random().toString(36).slice(2)}`,
    'front-token': Buffer.from(JSON.stringify(front)).toString('base64'),
  };
}
