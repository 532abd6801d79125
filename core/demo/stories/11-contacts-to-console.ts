// title: Contact details in the console
// policy: seed
// catalog: demo
// intent: Check who we talk to at acc_005, then activate it
// expected: the stored audit events show [REDACTED:salesforce.customerPII], never the values
// expect: allow
const account = await salesforce.getAccount({ accountId: 'acc_005' });
for (const contact of account.contacts) console.log(`contact: ${contact.name} <${contact.email}> ${contact.phone}`);
await salesforce.updateAccount({ accountId: 'acc_005', fields: { status: 'active' } });
return { contacts: account.contacts.length };
