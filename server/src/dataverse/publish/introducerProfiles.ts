import { type BatchPart, keySegment, type Operation, updateOp, upsertOp } from "../client";
import { IntroducerProfileTable } from "../model";
import type { IntroducerProfileRecord } from "../read/readIntroductions";
import { rowKey } from "./desiredRow";

/** A colleague's open requests as counted in this run. */
export interface ProfileCount {
  userId: string;
  /** The colleague's name (the profile's primary name column). */
  name: string;
  openRequests: number;
}

/** A profile's alternate key: sha1 hex of the colleague's user id (lower case), as every rp_key. */
export const profileKey = (userId: string): string => rowKey(userId.toLowerCase());

const SET = IntroducerProfileTable.entitySetName;
const user = (id: string) => `/systemusers${keySegment(id)}`;

/**
 * The writes that bring the profiles to this run's counts. A colleague's existing profile (found by its
 * user, whoever created it and whatever its key) is updated only when its count changed, or when it holds
 * open requests (so rp_countedon stays the instant the count was taken: a seller's control adds the
 * requests asked since); rp_acceptsrequests, the colleague's own choice, is never written. A missing
 * profile is created by its key (an upsert: a run cut off after the create finds it next time), owned by
 * the colleague (ownerid@odata.bind needs the Service's Assign privilege).
 */
export function profileWrites(
  counts: readonly ProfileCount[],
  existing: readonly IntroducerProfileRecord[],
  countedOn: string,
): BatchPart[] {
  const byUser = new Map(existing.map((p) => [p.userId, p]));
  const out: Operation[] = [];
  for (const c of counts) {
    const userId = c.userId.toLowerCase();
    const have = byUser.get(userId);
    const values = { rp_openrequests: c.openRequests, rp_countedon: countedOn };
    if (have) {
      if (have.openRequests !== c.openRequests || c.openRequests > 0)
        out.push(updateOp(SET, have.id, values));
      continue;
    }
    out.push(
      upsertOp(
        SET,
        { rp_key: profileKey(userId) },
        {
          rp_name: c.name.slice(0, 200) || "Colleague",
          ...values,
          "ownerid@odata.bind": user(userId),
          "rp_UserId@odata.bind": user(userId),
        },
      ),
    );
  }
  return out;
}
