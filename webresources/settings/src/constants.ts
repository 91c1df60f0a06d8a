/** Where the page talks to. Relative to the org: a web resource is served from the org's own origin. */

/** The Dataverse Web API, same origin (the user's session authenticates the calls). */
export const API_BASE = "/api/data/v9.2/";

/**
 * "Recompute now" POSTs here. The local preview server implements it; in an org, point it at the host
 * that runs `rapport publish` (an Azure Function, a scheduled job) or leave the button to report failure.
 */
export const RECOMPUTE_URL = "/rapport/recompute";

/** The settings profile the engine reads (rp_settings.rp_key). */
export const SETTINGS_KEY = "default";
