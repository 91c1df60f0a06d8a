import { type DataverseClient, odataFilter } from "../client";
import { type OrgSettings, settingsFromRow } from "./settingsFromRow";

/** The org's settings row (`rp_key` "default"), if an admin saved one; the defaults otherwise. */
export async function readOrgSettings(client: DataverseClient): Promise<OrgSettings> {
  const rows = await client.retrieveAll("rp_settingses", {
    filter: odataFilter`rp_key eq ${"default"}`,
    top: 1,
  });
  return settingsFromRow(rows[0]);
}
