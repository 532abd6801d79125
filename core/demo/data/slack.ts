/** Slack: the five channels of the demo workspace and a little history in each. */
import { createRng, addDays } from '../prng.ts';
import type { Employee } from './workday.ts';

export type ChannelKind = 'public' | 'private' | 'shared';

export interface Channel {
  id: string;
  name: string;
  kind: ChannelKind;
  topic: string;
  memberCount: number;
  createdAt: string;
}

export interface Message {
  ts: string;
  channel: string;
  user: string;
  userName: string;
  text: string;
  postedAt: string;
}

export interface SlackData {
  channels: Channel[];
  messages: Message[];
}

const CHANNELS: ReadonlyArray<readonly [string, ChannelKind, string, string[]]> = [
  ['#general', 'public', 'Company-wide announcements', ['Welcome to the new hires joining this week!', 'Reminder: all-hands on Thursday at 17:00 UTC.', 'The office will be closed on Monday for the public holiday.']],
  ['#random', 'public', 'Water-cooler chat', ['Who left the sourdough starter in the fridge?', 'Lunch recommendations near the Austin office?', 'Photos from the hackathon are in the shared drive.']],
  ['#hr-leads', 'private', 'HR leadership (confidential)', ['Calibration sessions for Q1 reviews start next week.', 'Please finalise merit recommendations by Friday.']],
  ['#eng', 'private', 'Engineering team', ['Deploy freeze starts Friday 18:00 UTC.', 'Post-mortem for the billing outage is up for review.', 'New staging cluster is ready.']],
  ['#customer-support', 'shared', 'Shared with customers: support questions and status updates', ['Hi team, invoices for March are now available in the portal.', 'We are investigating slow dashboard loads; next update in 30 minutes.', 'Resolved: dashboards are back to normal speed.']],
];

export function createSlackData(seed: number, employees: Employee[]): SlackData {
  const rng = createRng(seed);
  const channels: Channel[] = CHANNELS.map(([name, kind, topic], i) => ({
    id: `C0${(1000 + i * 37).toString(36).toUpperCase()}`,
    name,
    kind,
    topic,
    memberCount: kind === 'public' ? employees.length : kind === 'shared' ? rng.int(12, 30) : rng.int(4, 14),
    createdAt: addDays('2021-05-01T00:00:00Z', i * 40, 9),
  }));
  const messages: Message[] = [];
  CHANNELS.forEach(([name, , , texts], c) => {
    texts.forEach((text, j) => {
      const author = rng.pick(employees);
      const postedAt = addDays('2026-03-01T00:00:00Z', c * 2 + j, 9 + rng.int(0, 8));
      messages.push({ ts: `${Date.parse(postedAt) / 1000}.${String(c * 100 + j).padStart(6, '0')}`, channel: name, user: author.id, userName: author.name, text, postedAt });
    });
  });
  return { channels, messages };
}
