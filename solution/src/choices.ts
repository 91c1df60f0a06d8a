import { CHOICES, type ChoiceSet } from "@rapport/model";

import { INTRODUCED } from "./common";
import { PUBLISHER } from "./identity";
import { el, flag, labels, text, type XNode } from "./xml";

/**
 * Choices are GLOBAL option sets, one per entry of the model's CHOICES: the same health, trend,
 * activity type, direction and cadence choices appear on several columns and tables (health on the
 * insight and on its weekly history, cadence four times in the settings), and one definition keeps
 * their values and labels identical everywhere, as the model's single CHOICES object does.
 *
 * Names carry a `choice_` part so that no global choice is named like a column: a global option set
 * whose name equals a column's (`rp_healthstatus`) fails import with "The schema name ... for type
 * OptionSet is not unique" (reported by others who generated solutions; a test guards it).
 */
export const globalChoiceName = (set: string): string => `${PUBLISHER.prefix}_choice_${set.toLowerCase()}`;

export function globalChoices(): XNode[] {
  return (Object.keys(CHOICES) as ChoiceSet[]).map((set) => {
    const c = CHOICES[set];
    return el(
      "optionset",
      { Name: globalChoiceName(set), localizedName: c.displayName },
      text("OptionSetType", "picklist"),
      flag("IsGlobal", true),
      text("IntroducedVersion", INTRODUCED),
      flag("IsCustomizable", true),
      text("ExternalTypeName", ""),
      labels("displaynames", "displayname", c.displayName),
      labels("Descriptions", "Description", ""),
      el(
        "options",
        null,
        c.options.map((o) =>
          el("option", { value: o.value, ExternalValue: "" }, labels("labels", "label", o.label)),
        ),
      ),
    );
  });
}
