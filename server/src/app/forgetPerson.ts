import { type DataverseClient, deleteOp, odataFilter, or } from "../dataverse/client";
import { listOf } from "../dataverse/read/settingsFromRow";
import { InputError } from "./errors";

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * "Forget this person": the address joins the org's excluded people in rp_settings, so no source is
 * read for it again, and its who-knows-whom rows (as a target or as an introducer) are deleted at once;
 * the next publish rewrites every insight without it (history, most contacted, introducers).
 * Returns how many connection rows were deleted and whether the address was newly excluded.
 */
export async function forgetPerson(
  client: DataverseClient,
  address: string,
): Promise<{ newlyExcluded: boolean; connectionsDeleted: number }> {
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
  const connections = await client.retrieveAll("rp_connections", {
    select: ["rp_connectionid"],
    filter: or(odataFilter`rp_target eq ${a}`, odataFilter`rp_introduceremail eq ${a}`),
  });
  const results = connections.length
    ? await client.executeBatch(
        connections.map((c) => deleteOp("rp_connections", String(c["rp_connectionid"]))),
        { continueOnError: true },
      )
    : [];
  // A row already gone (404) is forgotten too.
  const failed = results.filter((r) => !r.ok && r.status !== 404);
  if (failed.length)
    throw new Error(`forgetting: ${failed.length} of ${results.length} deletions failed; run it again`);
  return { newlyExcluded, connectionsDeleted: results.length };
}
