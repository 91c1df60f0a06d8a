import * as React from "react";

import type { Colleague, SettingsApi } from "../api";

/** How long typing must pause before the colleagues are searched. */
const SEARCH_DELAY_MS = 250;

/**
 * The colleagues matching what is typed, searched once typing pauses: undefined with no text, "searching"
 * while the answer is awaited, [] when the search failed (nothing to offer).
 */
export function useColleagueSearch(api: SettingsApi, text: string): Colleague[] | "searching" | undefined {
  const [found, setFound] = React.useState<Colleague[] | "searching" | undefined>(undefined);
  React.useEffect(() => {
    if (!text.trim()) {
      setFound(undefined);
      return undefined;
    }
    let live = true;
    setFound("searching");
    const timer = setTimeout(() => {
      api.searchColleagues(text).then(
        (c) => live && setFound(c),
        () => live && setFound([]),
      );
    }, SEARCH_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, text]);
  return found;
}
