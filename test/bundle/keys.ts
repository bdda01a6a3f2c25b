// Test keys, generated once per file (PEM text, as files on disk would hold them).
import { generateKeyPairSync, randomBytes } from 'node:crypto';

export interface PemPair {
  readonly privatePem: string;
  readonly publicPem: string;
}

const pem = (kp: ReturnType<typeof generateKeyPairSync>): PemPair => ({
  privatePem: kp.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  publicPem: kp.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
});

export const rsaPair = (bits = 2048): PemPair => pem(generateKeyPairSync('rsa', { modulusLength: bits }));
export const ecPair = (curve = 'P-256'): PemPair => pem(generateKeyPairSync('ec', { namedCurve: curve }));
/** An HMAC secret file as a team would make it: printable, 48 bytes. */
export const hmacSecret = (): string => randomBytes(36).toString('base64');
