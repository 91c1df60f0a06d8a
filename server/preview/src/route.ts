import * as React from "react";

/** The host's pages, addressed by the hash so that reloading or sharing a link keeps the page. */
export type Route =
  | { page: "view"; table: string; viewId?: string }
  | { page: "record"; table: string; id: string }
  | { page: "settings" }
  | { page: "notFound" };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A segment as text, or undefined when it is not valid percent-encoding (`%E0%A4%A`). */
function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch (err) {
    if (err instanceof URIError) return undefined;
    throw err;
  }
}

/** The page a hash addresses; a hash that addresses none (malformed included) is the not-found page. */
export function parseRoute(hash: string, defaultTable: string): Route {
  const decoded = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeSegment);
  if (decoded.some((p) => p === undefined)) return { page: "notFound" };
  const parts = decoded as string[];
  if (parts.length === 0) return { page: "view", table: defaultTable };
  if (parts[0] === "settings" && parts.length === 1) return { page: "settings" };
  if (parts[0] === "view" && parts[1] && parts.length <= 3)
    return { page: "view", table: parts[1], ...(parts[2] ? { viewId: parts[2] } : {}) };
  if (parts[0] === "record" && parts[1] && parts[2] && GUID.test(parts[2]) && parts.length === 3)
    return { page: "record", table: parts[1], id: parts[2].toLowerCase() };
  return { page: "notFound" };
}

export function href(route: Route): string {
  switch (route.page) {
    case "view":
      return `#/view/${encodeURIComponent(route.table)}${route.viewId ? `/${route.viewId}` : ""}`;
    case "record":
      return `#/record/${encodeURIComponent(route.table)}/${route.id.replace(/[{}]/g, "").toLowerCase()}`;
    case "settings":
      return "#/settings";
    case "notFound":
      return "#/";
  }
}

export function useRoute(defaultTable: string): Route {
  const [hash, setHash] = React.useState(location.hash);
  React.useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return parseRoute(hash, defaultTable);
}
