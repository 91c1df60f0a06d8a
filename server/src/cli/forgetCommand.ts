import type { Command } from "commander";

import { forgetPerson } from "../app/forgetPerson";
import { DataverseClient, ForbiddenError } from "../dataverse/client";
import { CliError } from "./errors";
import { orgSettings } from "./orgSettings";

async function forget(address: string): Promise<void> {
  const r = await forgetPerson(DataverseClient.fromSettings(orgSettings()), address).catch((err: unknown) => {
    if (err instanceof ForbiddenError)
      throw new CliError(
        `forget needs the Rapport Administrator role; these credentials lack a privilege (${err.code}). Run it as an administrator, not as the service.`,
        { cause: err },
      );
    throw err;
  });
  process.stdout.write(
    `${r.newlyExcluded ? "excluded from now on" : "already excluded"}; ${r.connectionsDeleted} connection rows deleted. ` +
      `Run publish to rewrite the insights without them.\n`,
  );
}

/** `rapport forget`: an address excluded from every source and its who-knows-whom rows deleted now. */
export function addForgetCommand(program: Command): void {
  program
    .command("forget")
    .description(
      "Forget an external person or a colleague on request: exclude the address from every source (rp_settings) and delete " +
        "their who-knows-whom rows now; the next publish rewrites every insight without them. The org comes from the environment, as for publish, " +
        "but with an administrator's credentials (the Rapport Administrator role): the service's role may only read the settings.",
    )
    .argument("<address>", "the person's e-mail address")
    .action(forget);
}
