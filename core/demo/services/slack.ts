/** Slack routes: `https://slack.com/api` → `/api/conversations.list`, `/api/chat.postMessage`, … on loopback. */
import type { ServiceDefinition } from '../http.ts';
import { bodyString, notFound, onlyKnown, queryString } from '../args.ts';
import type { SlackData } from '../data/slack.ts';
import type { DemoState } from '../types.ts';

const P = '/api';

export function slackService(data: SlackData, state: DemoState): ServiceDefinition {
  // Channel names must match exactly (with the '#'): the policy classifies the destination by
  // that exact string, so a looser match here would let a post land outside its class.
  const channel = (name: string) => {
    const ch = data.channels.find((c) => c.name === name);
    if (!ch) throw notFound('channel', name);
    return ch;
  };
  let seq = 0;
  return {
    service: 'slack',
    host: 'slack.com',
    routes: [
      { method: 'GET', path: `${P}/conversations.list`, handler: () => ({ body: { ok: true, channels: data.channels } }) },
      {
        method: 'GET', path: `${P}/conversations.history`,
        handler: ({ query }) => {
          const ch = channel(queryString(query, 'channel'));
          return { body: { ok: true, channel: ch.name, messages: data.messages.filter((m) => m.channel === ch.name) } };
        },
      },
      {
        method: 'POST', path: `${P}/chat.postMessage`,
        handler: ({ body }) => {
          onlyKnown(body, ['channel', 'text']);
          const ch = channel(bodyString(body, 'channel'));
          const text = bodyString(body, 'text', 40_000);
          const now = new Date();
          const ts = `${Math.floor(now.getTime() / 1000)}.${String(++seq).padStart(6, '0')}`;
          const message = { ts, channel: ch.name, user: 'U_FLOWGATE', userName: 'Flowgate Assistant', text, postedAt: now.toISOString() };
          data.messages.push(message);
          state.messages.push({ channel: ch.name, text, ts });
          return { body: { ok: true, channel: ch.name, ts, message } };
        },
      },
    ],
  };
}
