// title: "Check payment processor status"
// policy: seed
// catalog: demo
// intent: Check payment processor status
// expected: deny — vault is not permitted, billing has no refund verb, vault.secret may flow nowhere
// expect: deny
// expect-reason: permission line 10
// expect-reason: flow.secret line 11
const status = await billing.getStatus();
const key = await vault.getSecret({ name: 'stripe-admin-key' });
await billing.createRefund({ invoiceId: 'inv_0001', amount: 50000, reason: `status ${status.status}; key ${key.value}` });
return status;
