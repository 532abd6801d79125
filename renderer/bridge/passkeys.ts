/**
 * The reviewer's passkey, through the browser's WebAuthn (`@simplewebauthn/browser`). The core
 * prepares each ceremony (what to sign) and checks its answer; this only asks the authenticator
 * and words its refusals. Injected into the stores (tests can give their own).
 */
import { browserSupportsWebAuthn, startAuthentication, startRegistration, WebAuthnError } from '@simplewebauthn/browser';
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '../../core/service/protocol.ts';

export interface Passkeys {
  /** Why passkeys cannot work on this page, or undefined when they can. */
  unavailable(): string | undefined;
  /** Creates a passkey (`navigator.credentials.create`). */
  create(options: PublicKeyCredentialCreationOptionsJSON): Promise<RegistrationResponseJSON>;
  /** Signs with a passkey (`navigator.credentials.get`): the user touches their authenticator. */
  sign(options: PublicKeyCredentialRequestOptionsJSON): Promise<AuthenticationResponseJSON>;
}

export function browserPasskeys(): Passkeys {
  return {
    unavailable: () => {
      if (!browserSupportsWebAuthn()) return 'this browser offers no passkeys (WebAuthn): open the workbench in Chrome, Edge, Firefox or Safari';
      if (location.hostname !== 'localhost') return `passkeys need the workbench at http://localhost:${location.port}/, not ${location.host}`;
      return undefined;
    },
    create: (options) => startRegistration({ optionsJSON: options }).catch((error: unknown) => Promise.reject(new Error(passkeyError(error)))),
    sign: (options) => startAuthentication({ optionsJSON: options }).catch((error: unknown) => Promise.reject(new Error(passkeyError(error)))),
  };
}

/** A refusal of the authenticator, in words a reviewer can act on. */
export function passkeyError(error: unknown): string {
  if (error instanceof WebAuthnError) {
    if (error.code === 'ERROR_CEREMONY_ABORTED') return 'the passkey prompt was cancelled';
    if (error.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') return 'this passkey is already registered';
  }
  if (error instanceof Error && error.name === 'NotAllowedError') return 'no registered reviewer passkey answered (cancelled, timed out, or this device holds none): the decision was not recorded';
  return error instanceof Error ? error.message : String(error);
}
