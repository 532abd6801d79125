/**
 * Who may decide: the reviewers' passkeys registered with this data directory. A registration is
 * a `reviewer` record on the audit log (public key, name), so `flowgate verify` can check every
 * decision against it and the workbench can list who may approve. The private key never leaves
 * the reviewer's authenticator, so nothing on disk lets an agent sign a decision.
 *
 * Invariants:
 * - the first passkey may be registered from the workbench when there is none; every later one
 *   must be endorsed by a registered passkey (an agent holding the workbench token cannot add
 *   its own key once a reviewer exists);
 * - a decision counts only with an assertion, by a registered passkey, over its exact statement,
 *   made with the user present on the workbench's own origin.
 */
import {
  generateAuthenticationOptions, generateRegistrationOptions, verifyRegistrationResponse,
  type AuthenticationResponseJSON, type PublicKeyCredentialCreationOptionsJSON, type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { decodeEvent, toAuditEvent } from '../audit/lifecycle/codec.ts';
import type { DecisionStatement, Proof, ReviewerData } from '../audit/lifecycle/events.ts';
import { CommandError } from '../audit/lifecycle/commands.ts';
import { queryEvents } from '../audit/query.ts';
import { challengeOf, checkProof, proofFromAssertion, RP_ID, RP_NAME, type EndorsementStatement } from '../audit/signatures.ts';
import { newTraceContext } from '../audit/trace.ts';
import type { AuditSink } from '../audit/types.ts';
import type { ReviewerView, SignRequest } from './protocol.ts';

const CEREMONY_MS = 5 * 60_000;

export class Reviewers {
  private readonly audit: AuditSink & { flush(): Promise<void> };
  private readonly logFile: string;
  /** Credential id → the registration and the last signature counter seen. */
  private known = new Map<string, { data: ReviewerData; at: string; counter: number }>();
  private loadedTotal = -1;
  /** Registration ceremonies under way, by challenge. */
  private readonly ceremonies = new Map<string, { name: string; origin: string; expires: number }>();
  /** Registrations waiting for an existing reviewer's endorsement, by new credential id. */
  private readonly awaiting = new Map<string, { data: ReviewerData; expires: number }>();

  constructor(audit: AuditSink & { flush(): Promise<void> }, logFile: string) {
    this.audit = audit;
    this.logFile = logFile;
  }

  /** The registered reviewers (re-read when the log has new registrations: another core may have added one). */
  async list(): Promise<ReviewerView[]> {
    await this.refresh();
    return [...this.known.values()].map(({ data, at }) => ({
      credentialId: data.credentialId, name: data.name, registeredAt: at,
      ...(data.endorsedBy ? { endorsedBy: this.known.get(data.endorsedBy.credentialId)?.data.name ?? data.endorsedBy.credentialId } : {}),
    }));
  }

  private async refresh(): Promise<void> {
    await this.audit.flush();
    const { total, records } = await queryEvents(this.logFile, { kind: 'reviewer' }, { limit: 10_000 });
    if (total === this.loadedTotal) return;
    const next = new Map<string, { data: ReviewerData; at: string; counter: number }>();
    for (const record of records) {
      const event = decodeEvent(record);
      if (event?.kind !== 'reviewer') continue;
      const old = this.known.get(event.data.credentialId);
      next.set(event.data.credentialId, { data: event.data, at: event.time, counter: old?.counter ?? event.data.counter });
    }
    this.known = next;
    this.loadedTotal = total;
  }

  /** Starts registering a passkey for `name` on the workbench page at `origin`. */
  async registrationOptions(name: string, origin: string | undefined): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const at = requireOrigin(origin);
    await this.refresh();
    const options = await generateRegistrationOptions({
      rpName: RP_NAME,
      rpID: RP_ID,
      userName: name,
      userDisplayName: name,
      attestationType: 'none',
      excludeCredentials: [...this.known.keys()].map((id) => ({ id })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      timeout: CEREMONY_MS,
    });
    this.sweep();
    this.ceremonies.set(options.challenge, { name, origin: at, expires: Date.now() + CEREMONY_MS });
    return options;
  }

  /**
   * Completes a registration. The first reviewer is registered at once; later ones come back with
   * what an existing reviewer's passkey must sign to endorse them (`endorse`).
   */
  async register(response: RegistrationResponseJSON, origin: string | undefined): Promise<{ reviewer: ReviewerView } | { endorse: SignRequest<EndorsementStatement> }> {
    const at = requireOrigin(origin);
    let challenge: string;
    try {
      challenge = String((JSON.parse(new TextDecoder().decode(isoBase64URL.toBuffer(response.response.clientDataJSON))) as { challenge?: unknown }).challenge ?? '');
    } catch {
      throw new CommandError('passkey', 'the registration carries no readable client data');
    }
    const ceremony = this.ceremonies.get(challenge);
    if (!ceremony || ceremony.expires < Date.now() || ceremony.origin !== at) throw new CommandError('passkey', 'no passkey registration is under way for this answer (it may have expired): start again');
    this.ceremonies.delete(challenge);
    const verified = await verifyRegistrationResponse({ response, expectedChallenge: challenge, expectedOrigin: at, expectedRPID: RP_ID, requireUserVerification: false })
      .catch((error: unknown) => {
        throw new CommandError('passkey', `the passkey registration does not verify: ${error instanceof Error ? error.message : String(error)}`);
      });
    if (!verified.verified) throw new CommandError('passkey', 'the passkey registration does not verify');
    const { credential } = verified.registrationInfo;
    const data: ReviewerData = { credentialId: credential.id, publicKey: isoBase64URL.fromBuffer(credential.publicKey), name: ceremony.name, counter: credential.counter };
    await this.refresh();
    if (this.known.size === 0) return { reviewer: this.record(data) };
    this.awaiting.set(data.credentialId, { data, expires: Date.now() + CEREMONY_MS });
    return { endorse: await this.signRequest(endorsementOf(data)) };
  }

  /** Completes a registration an existing reviewer endorses with `assertion`. */
  async endorse(credentialId: string, assertion: AuthenticationResponseJSON, origin: string | undefined): Promise<ReviewerView> {
    const at = requireOrigin(origin);
    const waiting = this.awaiting.get(credentialId);
    if (!waiting || waiting.expires < Date.now()) throw new CommandError('passkey', 'no registration is waiting for an endorsement: register the passkey again');
    const { proof } = await this.check(endorsementOf(waiting.data), assertion, at);
    if (proof.credentialId === credentialId) throw new CommandError('passkey', 'a passkey cannot endorse itself: an existing reviewer must sign');
    this.awaiting.delete(credentialId);
    return this.record({ ...waiting.data, endorsedBy: { credentialId: proof.credentialId, proof } });
  }

  /** The options for a passkey to sign `statement` (any registered reviewer's). */
  async signRequest<S extends DecisionStatement | EndorsementStatement>(statement: S): Promise<SignRequest<S>> {
    await this.refresh();
    const options = await generateAuthenticationOptions({
      rpID: RP_ID,
      challenge: isoBase64URL.toBuffer(challengeOf(statement)),
      allowCredentials: [...this.known.keys()].map((id) => ({ id })),
      userVerification: 'preferred',
      timeout: CEREMONY_MS,
    });
    return { statement, options };
  }

  /**
   * Checks a reviewer's assertion over `statement`; returns the reviewer's name and the proof to
   * record, or throws `CommandError('passkey')`.
   */
  async check(statement: DecisionStatement | EndorsementStatement, assertion: AuthenticationResponseJSON, origin: string | undefined): Promise<{ name: string; proof: Extract<Proof, { method: 'passkey' }> }> {
    const at = requireOrigin(origin);
    await this.refresh();
    if (this.known.size === 0) throw new CommandError('passkey', 'no reviewer passkey is registered: register one in the workbench (Reviewer) first');
    const reviewer = this.known.get(assertion.id);
    if (!reviewer) throw new CommandError('passkey', 'this passkey is not a registered reviewer');
    const proof = proofFromAssertion(assertion);
    const checked = await checkProof(proof, statement, reviewer.data, { counter: reviewer.counter, origin: at });
    if (!checked.ok) throw new CommandError('passkey', `the passkey signature was refused: ${checked.problem}`);
    reviewer.counter = checked.counter;
    return { name: reviewer.data.name, proof };
  }

  private record(data: ReviewerData): ReviewerView {
    const trace = newTraceContext();
    const at = new Date().toISOString();
    this.audit.append(toAuditEvent({ time: at, ...trace, kind: 'reviewer', actor: `user:${data.name}`, name: 'reviewer.register', data }));
    this.known.set(data.credentialId, { data, at, counter: data.counter });
    this.loadedTotal = -1;
    return { credentialId: data.credentialId, name: data.name, registeredAt: at, ...(data.endorsedBy ? { endorsedBy: this.known.get(data.endorsedBy.credentialId)?.data.name } : {}) };
  }

  private sweep(): void {
    const now = Date.now();
    for (const [k, v] of this.ceremonies) if (v.expires < now) this.ceremonies.delete(k);
    for (const [k, v] of this.awaiting) if (v.expires < now) this.awaiting.delete(k);
  }
}

function endorsementOf(data: ReviewerData): EndorsementStatement {
  return { v: 1, subject: 'reviewer', credentialId: data.credentialId, publicKey: data.publicKey, name: data.name };
}

/** The page's origin: passkeys work only on the workbench served as `http://localhost:PORT` (not in Electron, not on 127.0.0.1). */
function requireOrigin(origin: string | undefined): string {
  if (!origin) throw new CommandError('passkey', 'passkeys work only in the browser workbench (open the address `flowgate serve` prints): this client has no web origin');
  if (!/^https?:\/\/localhost(:\d{1,5})?$/.test(origin)) throw new CommandError('passkey', `passkeys need the workbench at http://localhost:<port>, not ${origin}`);
  return origin;
}
