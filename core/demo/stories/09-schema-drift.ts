// title: Invoices with the old billing API (schema drift)
// policy: seed
// catalog: demo-v2
// intent: List the customer's invoices
// expected: a diagnostic before running — customerId no longer exists, accountId is expected
// expect: deny
// expect-reason: diagnostic line 9
// expect-diagnostic: customerId is not a parameter of billing.listInvoices any more; it expects accountId
const invoices = await billing.listInvoices({ customerId: 'cus_001' });
return invoices.data.length;
