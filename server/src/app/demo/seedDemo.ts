import {
  associateOp,
  type BatchItemResult,
  type DataverseClient,
  odataFilter,
  type Operation,
  unboundActionOp,
  updateOp,
  upsertOp,
} from "../../dataverse/client";
import type { DemoCrm } from "./demoCrm";
import { demoRoleId, demoRoles, SERVICE_USER } from "./demoRoles";
import type { CloseRequest } from "./salesRecords";

const ID = {
  systemusers: "systemuserid",
  accounts: "accountid",
  contacts: "contactid",
  leads: "leadid",
  connectionroles: "connectionroleid",
  opportunities: "opportunityid",
  connections: "connectionid",
} as const;

/**
 * Seeds the demo CRM through the Web API, as an import tool would: upserts by primary key in `$batch`,
 * parents before children, so seeding again changes nothing and never duplicates a record. Then the
 * users get their roles (demoRoles.ts), associated as an admin does; a pair already associated stays.
 * Last, the won and lost opportunities are closed with WinOpportunity / LoseOpportunity. A closed
 * opportunity is read-only in Dataverse: one already closed (a seed before) is neither written nor
 * closed again, nor are its connections. Returns the number of operations sent.
 */
export async function seedDemo(
  client: DataverseClient,
  crm: DemoCrm,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const closed = await closedOpportunities(client);
  const ops = writeOps(client, crm, closed);
  const results = await client.executeBatch(ops, { continueOnError: true });
  check(ops, results);
  const closes = crm.closes.filter((c) => !closed.has(c.opportunityid)).map(closeOp);
  if (closes.length) check(closes, await client.executeBatch(closes, { continueOnError: true }));
  const total = ops.length + closes.length;
  onProgress?.(total, total);
  return total;
}

/** The ids of the opportunities already won or lost. */
async function closedOpportunities(client: DataverseClient): Promise<Set<string>> {
  const rows = await client.retrieveAll("opportunities", {
    select: ["opportunityid"],
    filter: odataFilter`statecode ne ${0}`,
  });
  return new Set(rows.map((r) => String(r["opportunityid"]).toLowerCase()));
}

const opportunityOf = (row: DemoCrm["connections"][number]): string =>
  /\(([^)]+)\)/.exec(String(row["record1id_opportunity@odata.bind"] ?? ""))?.[1] ?? "";

function writeOps(client: DataverseClient, crm: DemoCrm, closed: ReadonlySet<string>): Operation[] {
  const { systemuserid: serviceId, ...service } = SERVICE_USER;
  const ops: Operation[] = [upsertOp("systemusers", String(serviceId), service)];
  for (const set of Object.keys(ID) as (keyof typeof ID)[]) {
    for (const row of crm[set]) {
      const { [ID[set]]: id, ...body } = row;
      if (set === "opportunities" && closed.has(String(id))) continue;
      if (set === "connections" && closed.has(opportunityOf(row))) continue;
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
  return ops;
}

/** WinOpportunity / LoseOpportunity: the opportunityclose activity, and the opportunity's state and status. */
const closeOp = (c: CloseRequest): Operation =>
  unboundActionOp(
    c.action,
    {
      Status: c.status,
      OpportunityClose: {
        subject: c.subject,
        "opportunityid@odata.bind": `/opportunities(${c.opportunityid})`,
        actualrevenue: c.actualrevenue,
        actualend: c.actualend,
      },
    },
    { idempotent: false },
  );

function check(ops: readonly Operation[], results: readonly BatchItemResult[]): void {
  const failed = results.filter((r) => !r.ok && !alreadyAssociated(ops[r.index], r));
  if (failed.length)
    throw new Error(
      `Seeding the demo CRM: ${failed.length} of ${ops.length} writes failed (first: ${failed[0]?.error?.message ?? failed[0]?.status}: ${failed[0]?.error?.serverMessage ?? ""})`,
    );
}

/** Associating a pair that is already associated fails as a duplicate: the role is held, as wanted. */
const alreadyAssociated = (op: Operation | undefined, r: BatchItemResult): boolean =>
  op?.url.endsWith("/$ref") === true && r.error?.code === "0x80040237";
