/**
 * Reviewer passkeys (WebAuthn) as proofs on the trace: the challenge a reviewer's passkey signs
 * is the SHA-256 of the decision's statement (lifecycle/statement.ts), and a proof holds the
 * assertion (authenticator data, client data, signature). Checking one needs only the
 * credential's public key — the live core checks before recording, `flowgate verify` checks
 * every decision of a log again (verify-decisions.ts).
 *
 * Relying party: `localhost` (the workbench is served on loopback under that name; WebAuthn
 * takes no IP address as an RP id). User presence is required, user verification preferred.
 */
import { createHash } from 'node:crypto';
import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { canonicalJson } from './canonical.ts';
import type { DecisionStatement, EndorsementStatement, Proof, ReviewerData } from './lifecycle/events.ts';

export type { EndorsementStatement };

export const RP_ID = 'localhost';
export const RP_NAME = 'Flowgate';

/** Origins a workbench page can have: `http(s)://localhost[:port]`. */
export const LOCAL_ORIGIN = /^https?:\/\/localhost(:\d{1,5})?$/;

/** The base64url challenge for a statement: SHA-256 of its canonical text. */
export function challengeOf(statement: DecisionStatement | EndorsementStatement): string {
  return isoBase64URL.fromBuffer(new Uint8Array(createHash('sha256').update(canonicalJson(statement)).digest()));
}

/** The proof to store from a browser's assertion (`startAuthentication`'s answer). */
export function proofFromAssertion(response: AuthenticationResponseJSON): Extract<Proof, { method: 'passkey' }> {
  return {
    method: 'passkey',
    credentialId: response.id,
    authenticatorData: response.response.authenticatorData,
    clientDataJSON: response.response.clientDataJSON,
    signature: response.response.signature,
    ...(response.response.userHandle ? { userHandle: response.response.userHandle } : {}),
  };
}

export type ProofCheck = { ok: true; counter: number; origin: string } | { ok: false; problem: string };

/**
 * Checks a passkey proof: by `reviewer`'s credential, over `statement`, with the user present,
 * from an allowed origin, and with a signature counter past `counter` (when the authenticator
 * counts). Never throws.
 */
export async function checkProof(
  proof: Extract<Proof, { method: 'passkey' }>,
  statement: DecisionStatement | EndorsementStatement,
  reviewer: Pick<ReviewerData, 'credentialId' | 'publicKey'>,
  options: { counter: number; origin: string | ((origin: string) => boolean) },
): Promise<ProofCheck> {
  if (proof.credentialId !== reviewer.credentialId) return { ok: false, problem: `signed by credential ${short(proof.credentialId)}, not ${short(reviewer.credentialId)}` };
  let origin: string;
  try {
    origin = String((JSON.parse(new TextDecoder().decode(isoBase64URL.toBuffer(proof.clientDataJSON))) as { origin?: unknown }).origin ?? '');
  } catch {
    return { ok: false, problem: 'the client data is not readable' };
  }
  const allowed = typeof options.origin === 'string' ? origin === options.origin : options.origin(origin);
  if (!allowed) return { ok: false, problem: `signed on ${origin || 'an unknown origin'}, not on the workbench` };
  try {
    const result = await verifyAuthenticationResponse({
      response: {
        id: proof.credentialId,
        rawId: proof.credentialId,
        type: 'public-key',
        clientExtensionResults: {},
        response: { authenticatorData: proof.authenticatorData, clientDataJSON: proof.clientDataJSON, signature: proof.signature, ...(proof.userHandle ? { userHandle: proof.userHandle } : {}) },
      },
      expectedChallenge: challengeOf(statement),
      expectedOrigin: origin,
      expectedRPID: RP_ID,
      expectedType: 'webauthn.get',
      credential: { id: reviewer.credentialId, publicKey: isoBase64URL.toBuffer(reviewer.publicKey), counter: options.counter },
      requireUserVerification: false,
    });
    if (!result.verified) return { ok: false, problem: 'the signature does not verify' };
    return { ok: true, counter: result.authenticationInfo.newCounter, origin };
  } catch (error) {
    return { ok: false, problem: describe(error) };
  }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/challenge/i.test(message)) return 'the passkey signed another statement than the one recorded';
  if (/signature/i.test(message)) return 'the signature does not verify';
  return message;
}

function short(id: string): string {
  return id.length > 12 ? `${id.slice(0, 12)}…` : id;
}
