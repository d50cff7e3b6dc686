/**
 * The few error classes every layer uses (as in Ghost). Each carries a stable code, an English message
 * (CLI, API, logs), an optional Vietnamese message for the UI, and what it is about (file, field).
 * The web layer maps them to HTTP status in one place (src/web/errors.ts); the CLI maps them to exit
 * codes in one place (src/cli/main.ts). Anything that is not an AppError is a bug → 500 / exit 1.
 */
export interface ErrorDetails {
  /** Vietnamese text for people using the web UI. Falls back to `message`. */
  userMessage?: string;
  /** The offending file (issue directory, upload) when there is one. */
  file?: string;
  /** The offending key / field path, e.g. `sections[2].articles[0]`. */
  field?: string;
  /** What was expected there, e.g. `a date like 2026-11-15`. */
  expected?: string;
  /** Further findings, e.g. all validation problems of one file. */
  problems?: Problem[];
  cause?: unknown;
}

export interface Problem {
  file?: string;
  field?: string;
  message: string;
  expected?: string;
}

export abstract class AppError extends Error {
  abstract readonly code: string;
  abstract readonly httpStatus: number;
  readonly userMessage: string;
  readonly file?: string;
  readonly field?: string;
  readonly expected?: string;
  readonly problems: Problem[];

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.userMessage = details.userMessage ?? message;
    this.file = details.file;
    this.field = details.field;
    this.expected = details.expected;
    this.problems = details.problems ?? [];
  }
}

/** Input that does not match the format or contract: 400 / exit 2. */
export class BadInputError extends AppError {
  readonly code: string = 'bad_input';
  readonly httpStatus: number = 400;
}

/** Upload too large: 413 / exit 2. */
export class TooLargeError extends BadInputError {
  override readonly code = 'too_large';
  override readonly httpStatus = 413;
}

/** Upload of a type we do not accept (judged by magic bytes): 415 / exit 2. */
export class UnsupportedTypeError extends BadInputError {
  override readonly code = 'unsupported_type';
  override readonly httpStatus = 415;
}

export class NotAuthenticatedError extends AppError {
  readonly code = 'not_authenticated';
  readonly httpStatus = 401;
}

export class ForbiddenError extends AppError {
  readonly code = 'forbidden';
  readonly httpStatus = 403;
}

export class NotFoundError extends AppError {
  readonly code = 'not_found';
  readonly httpStatus = 404;
}

/** Concurrent edit, duplicate, already exists: 409. */
export class ConflictError extends AppError {
  readonly code: string = 'conflict';
  readonly httpStatus = 409;
}

/** A business rule refuses the action in the current state: 422 with the reason. */
export class RuleViolation extends AppError {
  readonly code: string = 'rule_violation';
  readonly httpStatus = 422;
}

/** Too many attempts (login throttling): 429. */
export class TooManyRequestsError extends AppError {
  readonly code = 'too_many_requests';
  readonly httpStatus = 429;
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** One line per problem, for CLI output: `file: field: message (expected …)`. */
export function describeError(err: AppError): string {
  const lines = [formatProblem({ file: err.file, field: err.field, message: err.message, expected: err.expected })];
  for (const p of err.problems) lines.push('  - ' + formatProblem(p));
  return lines.join('\n');
}

function formatProblem(p: Problem): string {
  const where = [p.file, p.field].filter(Boolean).join(': ');
  const expected = p.expected ? ` (expected ${p.expected})` : '';
  return (where ? `${where}: ` : '') + p.message + expected;
}
