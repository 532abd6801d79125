/** Flowgate's state directory: `FLOWGATE_DATA` or `~/.flowgate`. A module of its own so that reading it loads nothing else. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function dataDir(): string {
  return process.env.FLOWGATE_DATA || join(homedir(), '.flowgate');
}
