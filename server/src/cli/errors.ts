import { InputError } from "../app/errors";

/** A usage problem on the command line: printed without a stack, exit code 2. */
export class CliError extends InputError {
  override readonly name = "CliError";
}
