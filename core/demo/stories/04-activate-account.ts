// title: Activate a Salesforce account
// policy: seed
// catalog: demo
// intent: Mark acc_007 as active
// expected: allow; runs; two API calls on the trace
// expect: allow
const account = await salesforce.getAccount({ accountId: 'acc_007' });
const updated = await salesforce.updateAccount({ accountId: account.id, fields: { status: 'active' } });
return { id: updated.id, status: updated.status };
