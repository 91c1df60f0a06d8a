import { act, fireEvent, render, screen } from "@testing-library/react";
import * as React from "react";

import { privilegeError, webApiError } from "../../testing/pcf";
import { failedState, type LoadState, useLoad } from "../load";

/** A deferred promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function Probe(props: { id: string | null; load: (id: string) => Promise<string> }) {
  const { state, retry } = useLoad(props.id ? () => props.load(props.id!) : null, [props.id], "Nothing here");
  return (
    <>
      <output role="status">{label(state)}</output>
      <button onClick={retry}>retry</button>
    </>
  );
}
const label = (s: LoadState<string>) =>
  s.kind === "ready" ? `ready:${s.data}` : "message" in s ? `${s.kind}:${s.message ?? ""}` : s.kind;
const shown = () => screen.getByRole("status").textContent;
const flush = () => act(async () => new Promise<void>((r) => setTimeout(r, 0)));

describe("failedState", () => {
  test("privilege denial is no access, a missing row the empty state, anything else an error", () => {
    expect(failedState(privilegeError(), "none")).toEqual({ kind: "noAccess" });
    expect(failedState(webApiError(404, -2147220969, "Does not exist"), "none")).toEqual({
      kind: "empty",
      message: "none",
    });
    expect(failedState(new Error("Network down"), "none")).toEqual({
      kind: "error",
      message: "Network down",
    });
    expect(failedState("odd", "none")).toEqual({ kind: "error", message: "odd" });
  });
});

describe("useLoad", () => {
  test("no record: the empty state without calling load", async () => {
    const load = jest.fn(async () => "x");
    render(<Probe id={null} load={load} />);
    await flush();
    expect(shown()).toBe("empty:Nothing here");
    expect(load).not.toHaveBeenCalled();
  });

  test("loading, then ready with the data", async () => {
    const d = deferred<string>();
    render(<Probe id="a" load={() => d.promise} />);
    expect(shown()).toBe("loading");
    await act(async () => d.resolve("data of a"));
    expect(shown()).toBe("ready:data of a");
  });

  test("a failure shows its state and retry loads again", async () => {
    const load = jest.fn().mockRejectedValueOnce(privilegeError()).mockResolvedValueOnce("second");
    render(<Probe id="a" load={load} />);
    await flush();
    expect(shown()).toBe("noAccess");
    fireEvent.click(screen.getByRole("button", { name: "retry" }));
    await flush();
    expect(shown()).toBe("ready:second");
    expect(load).toHaveBeenCalledTimes(2);
  });

  test("a load that a newer one replaced is dropped, even when it settles last", async () => {
    const slow = deferred<string>();
    const fast = deferred<string>();
    const load = (id: string) => (id === "a" ? slow.promise : fast.promise);
    const { rerender } = render(<Probe id="a" load={load} />);
    rerender(<Probe id="b" load={load} />);
    await act(async () => fast.resolve("data of b"));
    await act(async () => slow.resolve("data of a"));
    expect(shown()).toBe("ready:data of b");
  });

  test("the same deps do not load again on a re-render", async () => {
    const load = jest.fn(async (id: string) => `data of ${id}`);
    const { rerender } = render(<Probe id="a" load={load} />);
    await flush();
    rerender(<Probe id="a" load={load} />);
    await flush();
    expect(load).toHaveBeenCalledTimes(1);
  });
});
