// A bundle's revision is the SHA-256 of its policy.wasm: the compiled policy is the whole policy
// (routes and checks live in the module's data), so equal revisions mean equal behaviour.
import { createHash } from 'node:crypto';

export function revisionOf(wasm: Uint8Array): string {
  return createHash('sha256').update(wasm).digest('hex');
}
