/** `flowgate demo`: starts the demo company's APIs on loopback and prints where they answer. */
import { startDemo } from '../demo/index.ts';
import { EXIT } from './common.ts';

export default async function demo(): Promise<number> {
  const handle = await startDemo();
  process.stdout.write('The demo company answers on loopback (Ctrl-C to stop):\n');
  for (const [host, url] of Object.entries(handle.hostMap)) process.stdout.write(`  ${host.padEnd(20)} ${url}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await handle.close();
  return EXIT.ok;
}
