import * as React from "react";

import type { ViewState } from "./states";
import { isNotFound, isPrivilegeError, messageOf } from "./webapi";

/** What a control shows while it loads its data: a state of StateView, or the data. */
export type LoadState<T> = ViewState | { kind: "ready"; data: T };

/**
 * The state a failed load shows: a privilege denial is "no access", a missing row is the empty state
 * with `emptyMessage`, anything else an error with the rejection's message.
 */
export function failedState(e: unknown, emptyMessage: string): ViewState {
  if (isPrivilegeError(e)) return { kind: "noAccess" };
  if (isNotFound(e)) return { kind: "empty", message: emptyMessage };
  return { kind: "error", message: messageOf(e) };
}

/**
 * Loads a control's data: `loading`, then `ready` with the data or the failed state (failedState).
 * `load` null means there is nothing to load (no record): the empty state with `emptyMessage`.
 * The load runs again when a value in `deps` changes (list there what `load` reads) and on `retry`;
 * the result of a load that a newer one or an unmount has replaced is dropped.
 */
export function useLoad<T>(
  load: (() => Promise<T>) | null,
  deps: React.DependencyList,
  emptyMessage: string,
): { state: LoadState<T>; retry: () => void } {
  // Indexes, not `const [a, b] =`: the bundler's Babel pass adds its array-destructuring helper (~1.1 KB
  // minified) to every module that destructures an array, and this module needs none otherwise.
  const stateHook = React.useState<LoadState<T>>({ kind: "loading" });
  const state = stateHook[0];
  const setState = stateHook[1];
  const attemptHook = React.useState(0);
  const attempt = attemptHook[0];
  const setAttempt = attemptHook[1];
  const hasLoad = load !== null;
  React.useEffect(
    () => {
      if (!load) {
        setState({ kind: "empty", message: emptyMessage });
        return undefined;
      }
      let live = true;
      setState({ kind: "loading" });
      load().then(
        (data) => live && setState({ kind: "ready", data }),
        (e: unknown) => live && setState(failedState(e, emptyMessage)),
      );
      return () => {
        live = false;
      };
    },
    // `load` is a new closure on every render; the callers' `deps` are what it reads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [...deps, hasLoad, emptyMessage, attempt],
  );
  const retry = React.useCallback(() => setAttempt((a) => a + 1), [setAttempt]);
  return { state, retry };
}
