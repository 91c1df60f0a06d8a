import { type DataverseClient, deleteOp, type Filter, guid, odataFilter, or } from "../dataverse/client";
import { listOf } from "../dataverse/read/settingsFromRow";
import { InputError } from "./errors";

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What forgetting removed. */
export interface Forgotten {
  newlyExcluded: boolean;
  connectionsDeleted: number;
  /** Introductions to the person, or asked by or of the colleague (requester, introducer or connector). */
  introductionsDeleted: number;
  /** The colleague's introducer profile. */
  profilesDeleted: number;
}

/**
 * "Forget this person": the address joins the org's excluded people in rp_settings, so no source is
 * read for it again, and its who-knows-whom rows (as a target or as an introducer) are deleted at once;
 * the next publish rewrites every insight without it (history, most contacted, introducers). Its
 * introductions go too: those whose person it is, and, when the address is a colleague's (a user's), the
 * introductions they asked for or were asked for, and their introducer profile.
 */
export async function forgetPerson(client: DataverseClient, address: string): Promise<Forgotten> {
  const a = address.trim().toLowerCase();
  if (!ADDRESS.test(a)) throw new InputError(`not an e-mail address: "${address.slice(0, 80)}"`);
  const rows = await client.retrieveAll("rp_settingses", {
    select: ["rp_excludedaddresses"],
    filter: odataFilter`rp_key eq ${"default"}`,
    top: 1,
  });
  const excluded = listOf(rows[0]?.["rp_excludedaddresses"]);
  const newlyExcluded = !excluded.includes(a);
  if (newlyExcluded)
    await client.upsert(
      "rp_settingses",
      { rp_key: "default" },
      { rp_name: "Default", rp_excludedaddresses: [...excluded, a].join("\n") },
    );
  const connectionsDeleted = await deleteWhere(
    client,
    "rp_connections",
    "rp_connectionid",
    or(odataFilter`rp_target eq ${a}`, odataFilter`rp_introduceremail eq ${a}`),
  );
  const users = await client.retrieveAll("systemusers", {
    select: ["systemuserid"],
    filter: odataFilter`internalemailaddress eq ${a}`,
  });
  const ids = users.map((u) => String(u["systemuserid"]));
  const introductionsDeleted = await deleteWhere(
    client,
    "rp_introductions",
    "rp_introductionid",
    or(odataFilter`rp_targetemail eq ${a}`, ...ids.flatMap(askedByOrOf)),
  );
  const profilesDeleted = ids.length
    ? await deleteWhere(
        client,
        "rp_introducerprofiles",
        "rp_introducerprofileid",
        or(...ids.map((id) => odataFilter`_rp_userid_value eq ${guid(id)}`)),
      )
    : 0;
  return { newlyExcluded, connectionsDeleted, introductionsDeleted, profilesDeleted };
}

/** The introductions a colleague asked for, was asked for, or is the connector of. */
const askedByOrOf = (id: string): Filter[] => [
  odataFilter`_rp_requesterid_value eq ${guid(id)}`,
  odataFilter`_rp_introducerid_value eq ${guid(id)}`,
  odataFilter`_rp_connectorid_value eq ${guid(id)}`,
];

/** Deletes every row the filter finds; a row already gone (404) is forgotten too. Returns how many. */
async function deleteWhere(
  client: DataverseClient,
  set: string,
  idColumn: string,
  filter: Filter,
): Promise<number> {
  const found = await client.retrieveAll(set, { select: [idColumn], filter });
  if (!found.length) return 0;
  const results = await client.executeBatch(
    found.map((r) => deleteOp(set, String(r[idColumn]))),
    { continueOnError: true },
  );
  const failed = results.filter((r) => !r.ok && r.status !== 404);
  if (failed.length)
    throw new Error(
      `forgetting: ${failed.length} of ${results.length} deletions in ${set} failed; run it again`,
    );
  return results.length;
}
