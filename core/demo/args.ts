/** Argument checks shared by the service handlers: each failure is a 400 with a message naming the argument. */
import { HttpError } from './http.ts';

export function badRequest(message: string): HttpError {
  return new HttpError(400, 'bad_request', message);
}

export function notFound(what: string, id: string): HttpError {
  return new HttpError(404, 'not_found', `no ${what} with id "${id}"`);
}

/** A required non-empty string from a JSON body. */
export function bodyString(body: Record<string, unknown>, name: string, maxLength = 10_000): string {
  const value = body[name];
  if (value === undefined || value === null) throw badRequest(`"${name}" is required`);
  if (typeof value !== 'string') throw badRequest(`"${name}" must be a string, got ${typeof value}`);
  if (value.trim() === '') throw badRequest(`"${name}" must not be empty`);
  if (value.length > maxLength) throw badRequest(`"${name}" is longer than ${maxLength} characters`);
  return value;
}

/** A required query parameter. */
export function queryString(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (value === null) throw badRequest(`query parameter "${name}" is required`);
  return value;
}

/** A required positive finite number with at most two decimals (a money amount). */
export function bodyAmount(body: Record<string, unknown>, name: string): number {
  const value = body[name];
  if (value === undefined || value === null) throw badRequest(`"${name}" is required`);
  if (typeof value !== 'number' || !Number.isFinite(value)) throw badRequest(`"${name}" must be a number`);
  if (value <= 0) throw badRequest(`"${name}" must be greater than 0`);
  if (Math.round(value * 100) !== value * 100) throw badRequest(`"${name}" has more than two decimals`);
  return value;
}

/** Rejects body properties the operation does not define. */
export function onlyKnown(body: Record<string, unknown>, allowed: readonly string[], where = 'request body'): void {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw badRequest(`unknown ${extra.length === 1 ? 'property' : 'properties'} in ${where}: ${extra.join(', ')} (expected: ${allowed.join(', ')})`);
}
