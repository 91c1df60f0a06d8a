#!/usr/bin/env node
import { Command, CommanderError } from "commander";

import { InputError } from "../app/errors";
import { redactSecrets } from "../core/redact";
import { DataverseError, SETTING } from "../dataverse/client";
import { addBacktestCommand } from "./backtestCommand";
import { addDataverseCommands } from "./dataverseCommand";
import { addForgetCommand } from "./forgetCommand";
import { addGenerateCommand } from "./generateCommand";
import { addInsightsCommand } from "./insightsCommand";
import { addPublishCommand } from "./publishCommand";
import { addStartCommand } from "./startCommand";
import { addSyncCommand } from "./syncCommand";

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("rapport")
    .description(
      "Relationship intelligence from mail and calendar metadata: health, KPIs and who knows whom.",
    )
    .showHelpAfterError()
    .exitOverride();

  addBacktestCommand(program);
  addInsightsCommand(program);
  addStartCommand(program);
  addForgetCommand(program);
  addPublishCommand(program);
  addSyncCommand(program);
  addDataverseCommands(program);
  addGenerateCommand(program);
  return program;
}

/** The transport's error codes (ECONNREFUSED, ENOTFOUND, ...) along an error's causes. */
function causeCodes(err: unknown): string[] {
  const codes: string[] = [];
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const { code, cause } = e as { code?: unknown; cause?: unknown };
    if (typeof code === "string") codes.push(code);
    e = cause;
  }
  return codes;
}

/**
 * The one line for a problem the user can fix (a usage error, an org that cannot be reached, credentials
 * the org refused), or undefined for a bug, which keeps its stack. Exit code 2 either way.
 */
function configurationProblem(err: unknown): string | undefined {
  if (err instanceof InputError) return err.message;
  if (err instanceof DataverseError && err.kind === "Network") {
    const code = causeCodes(err.cause)[0];
    return `${err.message}${code ? ` (${code})` : ""}: cannot reach Dataverse; check ${SETTING.url} and that the server is up`;
  }
  if (err instanceof DataverseError && err.kind === "Unauthorized")
    return `${err.message}: the credentials were refused; check ${SETTING.auth} and its settings`;
  if (
    err instanceof Error &&
    (err.name === "AuthenticationError" || err.name === "CredentialUnavailableError")
  )
    return `cannot get a token for Dataverse (${err.name}): ${err.message.split("\n")[0] ?? ""}`;
  return undefined;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const problem = configurationProblem(err);
    if (problem !== undefined) {
      // Every message goes out without the secrets a URL can carry (user:password@, ?key=).
      process.stderr.write(`rapport: error: ${redactSecrets(problem)}\n`);
      return 2;
    }
    process.stderr.write(
      `rapport: failed: ${redactSecrets(err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`,
    );
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
