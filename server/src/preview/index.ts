import type { DataverseRun } from "../app/dataversePipeline";
import type { StartSession } from "../app/start";
import { locatePreviewAssets } from "./assets";
import { type Preview, type RecomputeSummary, startPreview } from "./previewServer";

export { locatePreviewAssets, PreviewNotBuiltError } from "./assets";
export { type Preview, PreviewStartError, type RecomputeSummary, startPreview } from "./previewServer";

/** A run's counts, as the page shows them after "Recompute now". */
export function summariseRun(run: DataverseRun): Omit<RecomputeSummary, "ms"> {
  const outcomes = Object.values(run.published.tables);
  const sum = (k: "created" | "updated" | "deleted" | "failed") => outcomes.reduce((n, o) => n + o[k], 0);
  return {
    records: run.result.records.length,
    connections: run.result.connections.length,
    writes: run.published.writes,
    created: sum("created"),
    updated: sum("updated"),
    deleted: sum("deleted"),
    failed: sum("failed"),
  };
}

/** Serves the local preview over a started session (what `rapport start` does unless --no-preview). */
export async function servePreview(
  session: StartSession,
  options: { port?: number; host?: string } = {},
): Promise<Preview> {
  return startPreview({
    dataverse: session.dataverse,
    assets: locatePreviewAssets(),
    recompute: async () => summariseRun(await session.recompute()),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host ? { host: options.host } : {}),
  });
}
