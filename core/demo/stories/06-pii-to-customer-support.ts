// title: Customer contact details to #customer-support
// policy: seed
// catalog: demo
// intent: Give support the customer's contact details
// expected: deny — salesforce.customerPII → slack.customer-support is not allowed
// expect: deny
// expect-reason: flow.not-allowed line 10
const account = await salesforce.getAccount({ accountId: 'acc_003' });
const contact = account.contacts[0];
await slack.postMessage({ channel: '#customer-support', text: `Reach ${contact.name} at ${contact.email} or ${contact.phone}` });
return 'sent';
