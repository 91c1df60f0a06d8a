import { updateOp, upsertOp, type DataverseClient, type Operation } from "../../dataverse/client";
import type { DemoCrm } from "./demoCrm";

const ID: Record<Exclude<keyof DemoCrm, "primaryContacts">, string> = {
  systemusers: "systemuserid",
  accounts: "accountid",
  contacts: "contactid",
  leads: "leadid",
  opportunities: "opportunityid",
};

/**
 * Seeds the demo CRM through the Web API, as an import tool would: upserts by primary key in `$batch`,
 * parents before children, so seeding again changes nothing and never duplicates a record.
 * Returns the number of rows written.
 */
export async function seedDemo(
  client: DataverseClient,
  crm: DemoCrm,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const ops: Operation[] = [];
  for (const set of ["systemusers", "accounts", "contacts", "leads", "opportunities"] as const) {
    for (const row of crm[set]) {
      const { [ID[set]]: id, ...body } = row;
      ops.push(upsertOp(set, String(id), body));
    }
  }
  for (const p of crm.primaryContacts)
    ops.push(
      updateOp("accounts", p.accountid, { "primarycontactid@odata.bind": `/contacts(${p.contactid})` }),
    );
  const results = await client.executeBatch(ops, { continueOnError: true });
  onProgress?.(ops.length, ops.length);
  const failed = results.filter((r) => !r.ok);
  if (failed.length)
    throw new Error(
      `Seeding the demo CRM: ${failed.length} of ${ops.length} writes failed (first: ${failed[0]?.error?.message ?? failed[0]?.status}: ${failed[0]?.error?.serverMessage ?? ""})`,
    );
  return ops.length;
}
