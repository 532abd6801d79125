/**
 * Child process for the restore test: a core that takes one submission needing approval and then
 * goes away before anyone decides. Prints the submission's id and trace id.
 * Usage: node --no-node-snapshot submit-child.ts <data dir>
 */
import { loadPolicy } from '../../policy/index.ts';
import { resolveCatalog } from '../environment.ts';
import { openRuntime } from '../runtime.ts';
import { Submissions } from '../submissions.ts';

const runtime = await openRuntime({ catalog: await resolveCatalog('demo'), dataDir: process.argv[2] });
const { state: submission } = new Submissions(runtime).submit({
  source: `const pay = await workday.getCompensation({ employeeId: 'emp_003' });\nawait slack.postMessage({ channel: '#hr-leads', text: 'pay ' + pay.salary });\nreturn 'posted';`,
  intent: 'left waiting by a core that crashed',
  agent: 'mcp-client',
  policy: loadPolicy('hr-assistant'),
});
await runtime.close();
process.stdout.write(JSON.stringify({ id: submission.id, traceId: submission.traceId, verdict: submission.analysis?.verdict }) + '\n');
