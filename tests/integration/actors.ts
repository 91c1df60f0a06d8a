import { DataverseClient, staticTokenProvider } from "../../server/src/dataverse/client";
import type { LocalDataverse } from "../../server/src/dataverse/local";
import { roleByKey, roleId, stableGuid } from "../../server/src/dataverse/model";

/**
 * People (and the service) as the local endpoint signs them in: a systemuser row with roles, and a
 * Web API client carrying that user's own token, so a test runs each actor under its roles only.
 */

export type RoleKey = "system-administrator" | "salesperson" | "reader" | "administrator" | "service";

export interface Actor {
  userId: string;
  token: string;
  client: DataverseClient;
}

/** Adds a user (an application user when no address is given) holding `roles`; returns its client. */
export function actor(
  server: LocalDataverse,
  name: string,
  roles: readonly RoleKey[],
  email?: string,
): Actor {
  const userId = stableGuid(`test-actor:${name}`);
  server.seed({
    systemusers: [
      { systemuserid: userId, fullname: name, ...(email ? { internalemailaddress: email } : {}) },
    ],
    systemuserrolescollection: roles.map((r) => ({
      systemuserid: userId,
      roleid: roleId(roleByKey(r)).slice(1, -1),
    })),
  });
  const token = server.tokenFor(userId);
  const client = new DataverseClient({
    url: server.url,
    token: staticTokenProvider(token),
    sleep: async () => {},
  });
  return { userId, token, client };
}
