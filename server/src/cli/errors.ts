/** A usage or input problem the user can fix: printed without a stack, exit code 2. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
