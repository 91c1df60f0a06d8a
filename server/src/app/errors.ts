/**
 * A problem with what the user gave (a path, a date, a file's content): reported as one clear line
 * naming what was wrong and where, never as a stack trace. Hosts map it to a usage exit code.
 */
export class InputError extends Error {
  override readonly name: string = "InputError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
