import { DataverseHttpError } from "./errors";
import { infoByLogicalName } from "./tableInfo";
import { createRecord, type WriteContext } from "./writes";

/**
 * `GET WhoAmI`: the caller's user, business unit and organization. The endpoint has one token, which
 * stands for one user: the local org's System Administrator, a systemuser with a fixed id created the
 * first time it is asked for. Callers with identities of their own (tokens mapped to systemusers) replace
 * `callerOf`.
 */

/** Fixed ids of the local org, so that they survive restarts of a file database. */
export const LOCAL_ORG = {
  organizationId: "6d7a0b3e-5f0c-4e0a-9b1a-000000000001",
  businessUnitId: "6d7a0b3e-5f0c-4e0a-9b1a-000000000002",
  administratorId: "6d7a0b3e-5f0c-4e0a-9b1a-000000000003",
} as const;

export interface Caller {
  userId: string;
  businessUnitId: string;
  organizationId: string;
}

/** The user the request's token stands for (today: the one default token, the administrator). */
export function callerOf(ctx: WriteContext): Caller {
  const users = infoByLogicalName("systemuser");
  if (users && !ctx.store.getById(users, LOCAL_ORG.administratorId))
    createRecord(ctx, users, { fullname: "System Administrator" }, { id: LOCAL_ORG.administratorId });
  return {
    userId: LOCAL_ORG.administratorId,
    businessUnitId: LOCAL_ORG.businessUnitId,
    organizationId: LOCAL_ORG.organizationId,
  };
}

export function whoAmI(ctx: WriteContext, serviceRoot: string, method: string): Record<string, unknown> {
  // WhoAmI is a function: Dataverse answers any other method as a URI that matches nothing.
  if (method !== "GET")
    throw new DataverseHttpError(
      404,
      "",
      `No HTTP resource was found that matches the request URI '${serviceRoot}WhoAmI'.`,
    );
  const caller = callerOf(ctx);
  return {
    "@odata.context": `${serviceRoot}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
    BusinessUnitId: caller.businessUnitId,
    UserId: caller.userId,
    OrganizationId: caller.organizationId,
  };
}
