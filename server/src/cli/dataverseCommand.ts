import { randomBytes } from "node:crypto";

import type { Command } from "commander";

import { LocalDataverseStartError, startLocalDataverse } from "../dataverse/local";
import { collect } from "./args";
import { CliError } from "./errors";

/** `rapport dataverse serve`: the local Dataverse-compatible endpoint as a command. */

export const TOKEN_ENV = "RAPPORT_DATAVERSE_TOKEN";

/** A chosen token shorter than this is refused: it signs in the System Administrator. */
export const MIN_TOKEN_LENGTH = 16;

/** 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h) || h === "::ffff:127.0.0.1";
}

function parsePort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535)
    throw new CliError(`--port must be 0…65535, not "${text}"`);
  return Number(text);
}

/** Resolves when the process is asked to stop (Ctrl-C or a service manager's SIGTERM). */
function stopRequested(): Promise<string> {
  return new Promise((resolve) => {
    const onInt = () => stop("SIGINT");
    const onTerm = () => stop("SIGTERM");
    const stop = (signal: string) => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      resolve(signal);
    };
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
  });
}

export function addDataverseCommands(program: Command): void {
  const dataverse = program
    .command("dataverse")
    .description("The local Dataverse-compatible endpoint: the Web API over a SQLite file.");
  dataverse
    .command("serve")
    .description(
      `Serve the Dataverse Web API (/api/data/v9.2/) from a SQLite file. Requests need "Authorization: Bearer <token>"; the token is ${TOKEN_ENV}, or a new one printed at start, ` +
        `and signs in the System Administrator. --user <systemuserid> prints a token that signs in that user instead, with the roles the database associates with them (docs/local-dataverse.md).`,
    )
    .requiredOption("--db <file>", "SQLite database file (created when missing)")
    .option("--port <n>", "TCP port (0 picks a free one)", "5555")
    .option("--host <address>", "address to listen on (a non-loopback address is warned about)", "127.0.0.1")
    .option("--origin <url>", "origin clients reach it at, named in its links (default http://<host>:<port>)")
    .option("--user <systemuserid>", "also print a token for this user (repeat for more)", collect)
    .action(async (opts: { db: string; port: string; host: string; origin?: string; user: string[] }) => {
      const port = parsePort(opts.port);
      const fromEnv = process.env[TOKEN_ENV];
      if (fromEnv !== undefined && fromEnv !== "" && fromEnv.trim().length < MIN_TOKEN_LENGTH)
        throw new CliError(
          `${TOKEN_ENV} is ${fromEnv.trim().length} character(s) long; it signs in the System Administrator, so use at least ${MIN_TOKEN_LENGTH} random characters (or unset it for a generated one)`,
        );
      if (opts.origin !== undefined && !/^https?:\/\/[^/?#@\s]+\/?$/.test(opts.origin))
        throw new CliError(`--origin must be an origin such as http://myhost:5555, not "${opts.origin}"`);
      const token = fromEnv || randomBytes(24).toString("base64url");
      if (!isLoopback(opts.host))
        process.stderr.write(
          `warning: --host ${opts.host} is not a loopback address: other machines can reach this endpoint over plain http, ` +
            `and the bearer token crosses the network unencrypted. Use it on a trusted network only.\n`,
        );
      let server;
      try {
        server = await startLocalDataverse({
          db: opts.db,
          port,
          host: opts.host,
          token,
          ...(opts.origin ? { origin: opts.origin } : {}),
        });
      } catch (err) {
        if (err instanceof LocalDataverseStartError) throw new CliError(err.message, { cause: err });
        throw err;
      }
      let users: string[];
      try {
        users = (opts.user ?? []).map((id) => `Token for user ${id}: ${server.tokenFor(id)}\n`);
      } catch (err) {
        await server.close();
        throw new CliError(`--user: ${(err as Error).message}`, { cause: err });
      }
      process.stdout.write(
        `Local Dataverse at ${server.serviceRoot} (database ${opts.db})\n` +
          (fromEnv
            ? `Token: the value of ${TOKEN_ENV}\n`
            : `Token: ${token}\n  (generated for this run; set ${TOKEN_ENV} to choose one)\n`) +
          users.join("") +
          `Send it as "Authorization: Bearer <token>". Press Ctrl-C to stop.\n`,
      );
      const signal = await stopRequested();
      await server.close();
      process.stdout.write(`Stopped (${signal}); served ${server.stats.requests} request(s).\n`);
    });
}
