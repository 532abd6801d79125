// title: Drive document → Salesforce update → Slack notice
// policy: seed-workspace
// catalog: demo
// intent: Apply the hand-over note from Drive and tell the team
// expected: allow (the policy lint explains the egress it needed)
// expect: allow
const doc = await gdrive.getDocument({ documentId: 'doc_001' });
const match = /acc_\d{3}/.exec(doc.content);
const accountId = match ? match[0] : 'acc_007';
await salesforce.updateAccount({ accountId, fields: { status: 'active' } });
await slack.postMessage({ channel: '#eng', text: 'account updated' });
return { accountId };
