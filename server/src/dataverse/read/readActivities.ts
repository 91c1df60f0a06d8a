import type { EventEnvelope, MessageEnvelope } from "../../core/interaction";
import { type DataverseClient, type Filter, LOOKUP_LOGICAL_NAME, odataFilter } from "../client";
import {
  ACTIVITY_QUERIES,
  type AddressOf,
  appointmentEnvelope,
  emailEnvelope,
  PARTY_SELECT,
  phoneCallEnvelope,
  type Tracked,
} from "./activityEnvelopes";

/** A tracked activity read from Dataverse, before normalisation. */
export type TrackedEnvelope =
  | { kind: "email"; envelope: MessageEnvelope; tracked: Tracked; unsent: boolean }
  | { kind: "appointment"; envelope: EventEnvelope; tracked: Tracked }
  | {
      kind: "phonecall";
      envelope: MessageEnvelope;
      tracked: Tracked;
      durationMin?: number;
      cancelled: boolean;
    };

/**
 * Streams the activities tracked in Dataverse (emails, appointments, phone calls with their parties),
 * optionally only those modified since a time, page by page.
 */
export async function* readActivities(
  client: DataverseClient,
  addressOf: AddressOf,
  since?: Date,
): AsyncGenerator<TrackedEnvelope> {
  const filter: Filter | undefined = since ? odataFilter`modifiedon ge ${since}` : undefined;
  const query = (set: keyof typeof ACTIVITY_QUERIES) => ({
    select: ACTIVITY_QUERIES[set].select,
    ...(filter ? { filter } : {}),
    expand: [{ property: ACTIVITY_QUERIES[set].parties, select: PARTY_SELECT }],
  });
  const options = { annotations: [LOOKUP_LOGICAL_NAME] };
  let i = 0;
  for await (const row of client.retrieveMultiple("emails", query("emails"), options))
    yield { kind: "email", ...emailEnvelope(row, addressOf, i++) };
  i = 0;
  for await (const row of client.retrieveMultiple("appointments", query("appointments"), options))
    yield { kind: "appointment", ...appointmentEnvelope(row, addressOf, i++) };
  i = 0;
  for await (const row of client.retrieveMultiple("phonecalls", query("phonecalls"), options))
    yield { kind: "phonecall", ...phoneCallEnvelope(row, addressOf, i++) };
}
