/** SendGrid routes: `https://api.sendgrid.com/v3` → `POST /v3/mail/send` on loopback. */
import { randomBytes } from 'node:crypto';
import type { ServiceDefinition } from '../http.ts';
import { badRequest, bodyString, onlyKnown } from '../args.ts';
import type { DemoState } from '../types.ts';

/**
 * Exactly one plain address. Lists ("a@x, b@y") and display names are refused: the policy
 * classifies the recipient by matching this one string, so it must be the only recipient.
 */
const SINGLE_ADDRESS = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

export function sendgridService(state: DemoState): ServiceDefinition {
  return {
    service: 'sendgrid',
    host: 'api.sendgrid.com',
    routes: [
      {
        method: 'POST', path: '/v3/mail/send',
        handler: ({ body }) => {
          onlyKnown(body, ['to', 'subject', 'body']);
          const to = bodyString(body, 'to', 254);
          if (!SINGLE_ADDRESS.test(to)) throw badRequest(`"to" must be exactly one e-mail address, got "${to}"`);
          const subject = bodyString(body, 'subject', 998);
          const text = bodyString(body, 'body', 100_000);
          const messageId = randomBytes(11).toString('base64url');
          state.emails.push({ to, subject, body: text, messageId });
          return { status: 202, body: { messageId, status: 'queued', to, queuedAt: new Date().toISOString() } };
        },
      },
    ],
  };
}
