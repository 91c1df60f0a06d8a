import { DataverseHttpError } from "./errors";
import { callerOf } from "./identity";
import { infoByLogicalName } from "./tableInfo";
import { createRecord, type WriteContext } from "./writes";

/**
 * `GET WhoAmI`: the caller's user, business unit and organization (identity.ts says who the caller is).
 * On Dataverse every caller is a systemuser row, so the start-up token's administrator, which has no row
 * until then, gets one (fixed id, written without privilege checks) the first time it asks.
 */
export function whoAmI(ctx: WriteContext, serviceRoot: string, method: string): Record<string, unknown> {
  // WhoAmI is a function: Dataverse answers any other method as a URI that matches nothing.
  if (method !== "GET")
    throw new DataverseHttpError(
      404,
      "",
      `No HTTP resource was found that matches the request URI '${serviceRoot}WhoAmI'.`,
    );
  const caller = callerOf(ctx);
  const users = infoByLogicalName("systemuser");
  if (users && (!ctx.access || ctx.access.caller.administrator) && !ctx.store.getById(users, caller.UserId))
    createRecord(
      { store: ctx.store, now: ctx.now },
      users,
      { fullname: "System Administrator" },
      { id: caller.UserId },
    );
  return {
    "@odata.context": `${serviceRoot}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
    BusinessUnitId: caller.BusinessUnitId,
    UserId: caller.UserId,
    OrganizationId: caller.OrganizationId,
  };
}
