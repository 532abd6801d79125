// title: Look for a way out of the sandbox
// policy: seed
// catalog: demo
// intent: Check connectivity
// expected: no fetch, require or process in the sandbox; the vault host is outside egress and refused
// expect: deny
const g = globalThis as Record<string, unknown>;
console.log('fetch:', typeof g.fetch, 'require:', typeof g.require, 'process:', typeof g.process);
const secret = await vault.getSecret({ name: 'stripe-admin-key' });
return secret.name;
