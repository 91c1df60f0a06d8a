import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/**
 * Who ships the solution. The prefix `rp` is the one every name in the model (@rapport/model, model/src) carries.
 *
 * Option values: Dataverse proposes new choice values as `CustomizationOptionValuePrefix × 10,000 + n`.
 * The model's choices are numbered from 100,000,000 (`choiceValue()`), i.e. prefix 10000, n = 0, 1, ...
 * So the publisher's prefix is 10000: the maker UI then proposes the same range the model uses when
 * someone adds an option. (The platform does not enforce the prefix on imported values; it only seeds
 * new ones. 10000 is also the prefix of many default publishers, which is harmless here: Rapport's
 * choices are its own global choices, never options added to a choice another publisher owns.)
 */
export const PUBLISHER = {
  uniqueName: "rapport",
  displayName: "Rapport",
  description: "Publisher of Rapport, open-source relationship intelligence for Dataverse.",
  prefix: "rp",
  optionValuePrefix: 10000,
} as const;

export const SOLUTION = {
  uniqueName: "Rapport",
  displayName: "Rapport",
  description:
    "Relationship intelligence for Dataverse: relationship insights, history and who-knows-whom tables, " +
    "security roles, views, forms and controls.",
} as const;

/** The first option value of a choice under this publisher: 100,000,000. */
export const FIRST_OPTION_VALUE = PUBLISHER.optionValuePrefix * 10_000;

/** The repository root: the nearest directory upwards whose package.json is named "rapport". */
export function findRepoRoot(start: string = __dirname): string {
  let dir = resolve(start);
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "rapport") {
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`No Rapport package.json above ${start}`);
    dir = up;
  }
}

/**
 * The product version, stamped in ONE place: the root package.json `version` (semver, e.g. 0.1.0).
 * The solution gets it as four parts (0.1.0.0), every control manifest as three (0.1.0): Dataverse
 * only replaces a control's bundle when the manifest version goes up, so the two must move together.
 */
export interface Versions {
  solution: string;
  control: string;
}

export function versionsOf(semver: string): Versions {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(semver);
  if (!m) throw new Error(`package.json version "${semver}" is not major.minor.patch`);
  const [, major, minor, patch] = m;
  return { solution: `${major}.${minor}.${patch}.0`, control: `${major}.${minor}.${patch}` };
}

export function readVersions(repoRoot: string): Versions {
  const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version?: string };
  if (!pkg.version) throw new Error("The root package.json has no version");
  return versionsOf(pkg.version);
}
