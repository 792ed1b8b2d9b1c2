// POST /flush as the runner judges the claims (app/routes/flush.py, RUNNER-CONTRACT §4). A separate
// endpoint: these problems have codes starting "flush." and no stage, so they never take part in
// the /session prediction. Neither exp nor jti is looked at here.
import type { RuleProblem } from '../inspect-types';
import { isPlainObject, pyTruthy } from './formats';
import { checkTokenClaims } from './runner-rules';

function flushProblem(code: string, path: string, message: string, status?: RuleProblem['status']): RuleProblem {
  const p: RuleProblem = { code: `flush.${code}`, path, message, source: 'runner' };
  if (status !== undefined) p.status = status;
  return p;
}

/**
 * The runner tests `roles and "flusher" in roles`: a list must contain "flusher", but a string
 * only has to contain it as a substring and an object as a key; a non-zero number or true raises
 * TypeError (500). Then `decrypted_token["response_id"]` must exist and be a string (500 otherwise).
 */
export function checkFlush(claims: unknown): RuleProblem[] {
  if (!isPlainObject(claims)) {
    return [flushProblem('token.not-object', '', 'the signed payload must be a JSON object of claims', 403)];
  }
  // Decryption applies the same JWT-library checks as /session.
  const out = checkTokenClaims(claims).map(({ code, path, message, status }) => flushProblem(code, path, message, status ?? 403));

  const roles = claims.roles;
  if (!pyTruthy(roles)) {
    out.push(flushProblem('roles', 'roles', 'roles must contain "flusher" to flush; this token has no roles', 403));
  } else if (typeof roles === 'number' || typeof roles === 'boolean') {
    out.push(flushProblem('roles-crash', 'roles', 'roles must be a list; the runner fails with 500 testing "flusher" in a number', 500));
  } else {
    const hasFlusher = Array.isArray(roles)
      ? roles.includes('flusher')
      : typeof roles === 'string'
        ? roles.includes('flusher')
        : Object.prototype.hasOwnProperty.call(roles, 'flusher');
    if (!hasFlusher) out.push(flushProblem('roles', 'roles', 'roles must contain "flusher" to flush', 403));
    // Accepted, so no status, but a string or object only passes by accident of Python's `in`.
    else if (!Array.isArray(roles)) {
      out.push(
        flushProblem(
          'roles-shape',
          'roles',
          'roles should be a list of strings; the runner accepts this one only because Python\'s "in" also matches substrings and keys',
        ),
      );
    }
  }

  const responseId = claims.response_id;
  if (responseId === undefined) {
    out.push(flushProblem('response-id', 'response_id', 'response_id is missing; the runner fails with 500 looking it up', 500));
  } else if (typeof responseId !== 'string') {
    out.push(flushProblem('response-id', 'response_id', 'response_id must be a string; the runner fails with 500 deriving the user from it', 500));
  }
  return out;
}
