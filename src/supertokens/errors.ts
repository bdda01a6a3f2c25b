// The one error family of claimguard/supertokens.

import { ClaimguardError } from '../errors.js';
export type AuthConfigErrorCode = 'AUTH_CONFIG_MISSING' | 'POLICY_INVALID' | 'POLICY_AUDIENCE_MISSING' | 'SUPERTOKENS_MISSING';

export class AuthConfigError extends ClaimguardError<AuthConfigErrorCode> {
  override readonly name = 'AuthConfigError';
}
