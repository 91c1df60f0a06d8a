import { type DataverseClient, type Operation, retrieveOp } from "../client";
import type { PublishTransport, ReadQuery, WriteOp } from "./transport";

/** Writes go in batches of this many operations: Dataverse's maximum per `$batch`. */
const BATCH_SIZE = 1000;

/**
 * The publisher's port on the Web API client. All reads go in one `$batch` of GETs (one per key
 * partition, each at most a page); a partition that still has more pages is read on with the client's
 * paging. Writes go in `$batch`es of 1,000 with `continue-on-error`, so one bad row never stops the
 * others; the client re-sends items that came back 429.
 */
export function clientTransport(client: DataverseClient): PublishTransport {
  return {
    async readMany(queries: readonly ReadQuery[]) {
      const ops = queries.map((q) =>
        retrieveOp(
          q.entitySet,
          undefined,
          { select: q.select, ...(q.filter ? { filter: q.filter } : {}) },
          { maxPageSize: 5000 },
        ),
      );
      const results = ops.length ? await client.executeBatch(ops, { continueOnError: true }) : [];
      return Promise.all(
        queries.map(async (q, i) => {
          const r = results[i];
          if (!r?.ok) throw r?.error ?? new Error(`Reading ${q.entitySet} got no answer`);
          const body = r.body as { value?: Record<string, unknown>[]; "@odata.nextLink"?: string };
          if (!body["@odata.nextLink"]) return body.value ?? [];
          // More than a page in one partition: read the partition again with paging.
          return client.retrieveAll(q.entitySet, {
            select: q.select,
            ...(q.filter ? { filter: q.filter } : {}),
          });
        }),
      );
    },

    async write(ops: readonly WriteOp[], onProgress?: (done: number) => void) {
      const outcomes = [];
      for (let at = 0; at < ops.length; at += BATCH_SIZE) {
        const slice: Operation[] = ops.slice(at, at + BATCH_SIZE).map((o) => ({
          method: o.method,
          url: o.path,
          headers: o.headers ?? {},
          ...(o.body ? { body: o.body } : {}),
          // Upserts and deletes by key are safe to send again after an unclear failure.
          idempotent: true,
        }));
        const results = await client.executeBatch(slice, { continueOnError: true });
        for (const r of results)
          outcomes.push({
            ok: r.ok,
            status: r.status,
            ...(r.error?.code ? { code: r.error.code } : {}),
            ...(r.error ? { message: r.error.serverMessage || r.error.message } : {}),
          });
        onProgress?.(Math.min(ops.length, at + BATCH_SIZE));
      }
      return outcomes;
    },
  };
}
