import * as React from "react";

export type Load<T> =
  { state: "loading" } | { state: "error"; message: string } | { state: "done"; value: T };

/** Runs `load` whenever `deps` change and tracks its outcome; `reload` runs it again. */
export function useLoad<T>(load: () => Promise<T>, deps: React.DependencyList): [Load<T>, () => void] {
  const [state, setState] = React.useState<Load<T>>({ state: "loading" });
  const [round, setRound] = React.useState(0);
  React.useEffect(() => {
    let live = true;
    setState({ state: "loading" });
    load().then(
      (value) => live && setState({ state: "done", value }),
      (e: unknown) =>
        live && setState({ state: "error", message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  return [state, () => setRound((r) => r + 1)];
}
