/**
 * Validates a program's arguments against an operation's schema (JSON Schema 2020-12, as in
 * OpenAPI 3.1). Compiled validators are cached per operation.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Operation } from '../catalog/types.ts';

const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
const cache = new WeakMap<Operation, ValidateFunction>();

/** Undefined when valid; otherwise one sentence naming the operation and the bad arguments. */
export function validateArgs(op: Operation, args: unknown): string | undefined {
  let validate = cache.get(op);
  if (!validate) {
    validate = ajv.compile(op.argsSchema);
    cache.set(op, validate);
  }
  if (validate(args)) return undefined;
  const problems = (validate.errors ?? []).slice(0, 5).map((e) => describe(e));
  return `${op.id}: invalid arguments: ${problems.join('; ')}`;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath ? error.instancePath.slice(1).replaceAll('/', '.') : 'arguments';
  if (error.keyword === 'additionalProperties') return `"${String(error.params.additionalProperty)}" is not an argument of this operation`;
  if (error.keyword === 'required') return `missing required argument "${String(error.params.missingProperty)}"`;
  return `${where} ${error.message ?? 'is invalid'}`;
}
