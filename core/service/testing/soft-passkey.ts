/**
 * A software WebAuthn authenticator for the core's tests: a real P-256 key pair that answers
 * registration and assertion ceremonies exactly as a browser's authenticator does (attestation
 * `none`, user present), so the reviewer registry and `flowgate verify` are tested with real
 * signatures. (The workbench's own tests use Chromium's virtual authenticator.)
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type {
  AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { CoreClient } from '../remote-core.ts';

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();

export class SoftPasskey {
  readonly origin: string;
  readonly credentialId = randomBytes(16);
  private readonly privateKey: KeyObject;
  private readonly cose: Buffer;
  private counter = 0;

  constructor(origin: string) {
    this.origin = origin;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    // COSE_Key, EC2 / ES256: {1: 2, 3: -7, -1: 1, -2: x, -3: y}
    this.cose = cbor(new Map<number, unknown>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(String(jwk.x), 'base64url')], [-3, Buffer.from(String(jwk.y), 'base64url')]]));
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  /** Answers `navigator.credentials.create()` with these options. */
  register(options: PublicKeyCredentialCreationOptionsJSON): RegistrationResponseJSON {
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin: this.origin, crossOrigin: false }));
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([this.authHeader(options.rp.id ?? 'localhost', 0x41), Buffer.alloc(16), idLength, this.credentialId, this.cose]);
    const attestationObject = cbor(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['internal'] },
      clientExtensionResults: {},
    };
  }

  /** Answers `navigator.credentials.get()` with these options (user present). */
  assert(options: PublicKeyCredentialRequestOptionsJSON, origin = this.origin): AuthenticationResponseJSON {
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false }));
    this.counter += 1;
    const authData = this.authHeader(options.rpId ?? 'localhost', 0x01);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), this.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { authenticatorData: b64url(authData), clientDataJSON: b64url(clientDataJSON), signature: b64url(signature) },
      clientExtensionResults: {},
    };
  }

  private authHeader(rpId: string, flags: number): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count]);
  }
}

/** Registers `passkey` as a reviewer named `name` through the core's protocol (the first reviewer needs no endorsement). */
export async function registerReviewer(core: Pick<CoreClient, 'call'>, passkey: SoftPasskey, name: string, endorser?: SoftPasskey): Promise<void> {
  const options = await core.call('reviewer.begin', { name });
  const done = await core.call('reviewer.register', { response: passkey.register(options) });
  if ('endorse' in done) {
    if (!endorser) throw new Error('a reviewer exists: the new passkey needs an endorsement');
    await core.call('reviewer.endorse', { credentialId: passkey.id, assertion: endorser.assert(done.endorse.options) });
  }
}

/** Decides a submission through the protocol, signing the statement with `passkey`. */
export async function decideWith(core: Pick<CoreClient, 'call'>, passkey: SoftPasskey, input: { id: string; decision: 'approve' | 'deny'; reason: string }) {
  const view = await core.call('submission.get', { id: input.id });
  const { options } = await core.call('decision.request', input);
  return core.call('decide', { ...input, sourceHash: view.sourceHash, assertion: passkey.assert(options) });
}

/** Minimal CBOR (RFC 8949) for the authenticator's structures: unsigned and negative ints, bytes, text, maps. */
function cbor(value: unknown): Buffer {
  const head = (major: number, n: number): Buffer => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 256) return Buffer.from([(major << 5) | 24, n]);
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(n, 1);
    return b;
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  if (value instanceof Map) return Buffer.concat([head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)])]);
  throw new TypeError(`cbor: cannot encode ${typeof value}`);
}
