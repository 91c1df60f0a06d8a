import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

import { stableGuid } from "../model";

/**
 * Who is calling: each bearer token the endpoint accepts signs in one principal. The token the endpoint
 * is started with is the local administrator (System Administrator, not a row in systemusers, so it
 * changes no data); further tokens each sign in a systemuser row, whose roles decide what it may do.
 */

export interface Caller {
  /** systemuserid (lower case, no braces). */
  userId: string;
  /** The start-up token's principal: every privilege, no role rows needed. */
  administrator: boolean;
}

/** One business unit and one organization: the ids WhoAmI answers besides the user's. */
export const BUSINESS_UNIT_ID = stableGuid("local-dataverse:business-unit");
export const ORGANIZATION_ID = stableGuid("local-dataverse:organization");
export const LOCAL_ADMINISTRATOR_ID = stableGuid("local-dataverse:administrator");

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

export class Identities {
  private readonly tokens: { hash: Buffer; caller: Caller }[] = [];

  constructor(administratorToken: string, users: Readonly<Record<string, string>> = {}) {
    this.add(administratorToken, { userId: LOCAL_ADMINISTRATOR_ID, administrator: true });
    for (const [token, userId] of Object.entries(users)) this.signIn(userId, token);
  }

  private add(token: string, caller: Caller): void {
    if (!token) throw new Error("a token must not be empty");
    this.tokens.push({ hash: digest(token), caller });
  }

  /** Registers a token for the user (a new random one unless given) and returns it. */
  signIn(userId: string, token = randomBytes(24).toString("base64url")): string {
    const id = userId.replace(/[{}]/g, "").toLowerCase();
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id))
      throw new Error(`a user token needs a systemuserid (a GUID), not '${userId.slice(0, 60)}'`);
    this.add(token, { userId: id, administrator: false });
    return token;
  }

  /** The caller an Authorization header signs in, compared in constant time; undefined when none. */
  callerFor(header: string | undefined): Caller | undefined {
    const m = /^Bearer\s+(.+)$/i.exec(header ?? "");
    if (m?.[1] === undefined) return undefined;
    const presented = digest(m[1].trim());
    let found: Caller | undefined;
    for (const t of this.tokens) if (timingSafeEqual(presented, t.hash)) found ??= t.caller;
    return found;
  }
}

/**
 * The ids WhoAmI answers for the request's caller (`ctx` is the route context of the request). Without
 * a caller (the endpoint's own seeding) it is the local administrator.
 */
export function callerOf(ctx: { access?: { caller: Caller } }): {
  UserId: string;
  BusinessUnitId: string;
  OrganizationId: string;
} {
  return {
    UserId: ctx.access?.caller.userId ?? LOCAL_ADMINISTRATOR_ID,
    BusinessUnitId: BUSINESS_UNIT_ID,
    OrganizationId: ORGANIZATION_ID,
  };
}
