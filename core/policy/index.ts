/**
 * core/policy: the policy file format, loading with clear errors, pure decisions and the lint.
 * One entry point for the rest of the core.
 */
export type { ApprovalRule, DataFlowRule, Decision, Limits, LintFinding, Policy, PolicyDocument, Verdict } from './types.ts';
export { DEFAULT_LIMITS, PolicyError } from './types.ts';
export { loadPolicy, parsePolicy, parseDuration, parseMemory, listPolicies, resolvePolicyFile, limitsOf, POLICIES_DIR } from './load.ts';
export { validatePolicyDocument, POLICY_SCHEMA, KNOWN_VERBS } from './validate.ts';
export {
  decidePermission, decideEgress, decideFlow, decideOperationApproval, decideCall, worst,
  destinationMatches, hostAllowed, isSecretLabel, serviceOf,
} from './decide.ts';
export type { CallContext, CallDecision } from './decide.ts';
export { parseWhen, evaluateWhen, identifiersOf, WhenSyntaxError } from './when.ts';
export type { WhenNode, WhenValue, CompareOp } from './when.ts';
export { lintPolicy } from './lint.ts';
