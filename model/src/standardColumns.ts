import { column as c } from "./types";

// Columns many standard tables share, named once.

/** statecode of the tables that are simply Active or Inactive. */
export const STATE_ACTIVE = [
  { value: 0, label: "Active" },
  { value: 1, label: "Inactive" },
] as const;

/** ownerid of a user-owned table (the model knows users as owners, not teams). */
export const owner = c("ownerid", "owner", "Owner", {
  targets: [{ table: "systemuser", navigationProperty: "ownerid" }],
});

/** statecode of a table that is Active or Inactive. */
export const activeState = c("statecode", "state", "Status", { options: STATE_ACTIVE });
