// title: A runaway loop
// policy: seed
// catalog: demo
// intent: Wait for the account to become active
// expected: stopped at maxDuration; the core stays up and the trace says why
// expect: allow
const account = await salesforce.getAccount({ accountId: 'acc_001' });
let polls = 0;
while (account.status !== 'churned') {
  polls++;
}
return polls;
