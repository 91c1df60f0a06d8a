import type { Command } from "commander";

import { buildProgram } from "../../../server/src/cli/main";

/** The program and every command under it, depth first, with its full name ("dataverse serve"). */
function commandsOf(command: Command, prefix = ""): { name: string; command: Command }[] {
  const name = `${prefix}${prefix ? " " : ""}${command.name()}`;
  return [{ name, command }, ...command.commands.flatMap((c) => commandsOf(c, name))];
}

describe("rapport --help", () => {
  const all = commandsOf(buildProgram());

  test("covers every command, nested ones included", () => {
    const names = all.map((c) => c.name);
    for (const name of ["rapport backtest", "rapport publish", "rapport forget", "rapport dataverse serve"])
      expect(names).toContain(name);
  });

  test.each(all.map((c) => [c.name, c.command] as const))(
    "%s names no file outside the repository",
    (_name, command) => {
      const help = command.helpInformation();
      expect(help).not.toMatch(/shared\//);
      expect(help).not.toContain("../");
      // A repeatable option starts empty without telling the reader so.
      expect(help).not.toContain("(default: [])");
    },
  );
});
