// The one error family of claimguard/supertokens.

export type AuthConfigErrorCode = 'AUTH_CONFIG_MISSING' | 'POLICY_INVALID' | 'POLICY_AUDIENCE_MISSING' | 'SUPERTOKENS_MISSING';

export class AuthConfigError extends Error {
  override readonly name = 'AuthConfigError';
  constructor(
    readonly code: AuthConfigErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
