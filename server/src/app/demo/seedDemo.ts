import {
  associateOp,
  type BatchItemResult,
  type DataverseClient,
  type Operation,
  updateOp,
  upsertOp,
} from "../../dataverse/client";
import type { DemoCrm } from "./demoCrm";
import { demoRoleId, demoRoles, SERVICE_USER } from "./demoRoles";

const ID: Record<Exclude<keyof DemoCrm, "primaryContacts">, string> = {
  systemusers: "systemuserid",
  accounts: "accountid",
  contacts: "contactid",
  leads: "leadid",
  opportunities: "opportunityid",
};

/**
 * Seeds the demo CRM through the Web API, as an import tool would: upserts by primary key in `$batch`,
 * parents before children, so seeding again changes nothing and never duplicates a record. Then the
 * users get their roles (demoRoles.ts), associated as an admin does; a pair already associated stays.
 * Returns the number of operations sent.
 */
export async function seedDemo(
  client: DataverseClient,
  crm: DemoCrm,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const { systemuserid: serviceId, ...service } = SERVICE_USER;
  const ops: Operation[] = [upsertOp("systemusers", String(serviceId), service)];
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
  for (const a of demoRoles(crm))
    for (const role of a.roles)
      ops.push(
        associateOp("systemusers", a.systemuserid, "systemuserroles_association", {
          apiRoot: client.apiRoot,
          entitySet: "roles",
          key: demoRoleId(role),
        }),
      );
  const results = await client.executeBatch(ops, { continueOnError: true });
  onProgress?.(ops.length, ops.length);
  const failed = results.filter((r) => !r.ok && !alreadyAssociated(ops[r.index], r));
  if (failed.length)
    throw new Error(
      `Seeding the demo CRM: ${failed.length} of ${ops.length} writes failed (first: ${failed[0]?.error?.message ?? failed[0]?.status}: ${failed[0]?.error?.serverMessage ?? ""})`,
    );
  return ops.length;
}

/** Associating a pair that is already associated fails as a duplicate: the role is held, as wanted. */
const alreadyAssociated = (op: Operation | undefined, r: BatchItemResult): boolean =>
  op?.url.endsWith("/$ref") === true && r.error?.code === "0x80040237";
