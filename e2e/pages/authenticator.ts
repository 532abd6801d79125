/**
 * Chromium's virtual WebAuthn authenticator (DevTools protocol), attached to a page: a platform
 * authenticator with user verification that answers at once, as a person touching a passkey
 * would. The reviewer's credential is kept for the whole run (the core remembers the reviewer
 * across tests; each test's page gets a fresh authenticator holding it).
 */
import type { CDPSession, Page } from '@playwright/test';

export interface Credential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
}

export class Authenticator {
  private readonly cdp: CDPSession;
  private readonly id: string;

  private constructor(cdp: CDPSession, id: string) {
    this.cdp = cdp;
    this.id = id;
  }

  static async attach(page: Page): Promise<Authenticator> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    return new Authenticator(cdp, authenticatorId);
  }

  async credentials(): Promise<Credential[]> {
    return (await this.cdp.send('WebAuthn.getCredentials', { authenticatorId: this.id })).credentials as Credential[];
  }

  async add(credential: Credential): Promise<void> {
    await this.cdp.send('WebAuthn.addCredential', { authenticatorId: this.id, credential });
  }

  /** Forgets every credential: this device holds no passkey any more. */
  async clear(): Promise<void> {
    await this.cdp.send('WebAuthn.clearCredentials', { authenticatorId: this.id });
  }
}
