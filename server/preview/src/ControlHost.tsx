import { MessageBar, MessageBarBody, Spinner } from "@fluentui/react-components";
import * as React from "react";

import { type ContextOptions, controlContext, controlStrings, loadControl } from "./pcfHost";
import { STRINGS } from "./strings";

type Instance = ComponentFramework.ReactControl<unknown, unknown>;

export type ControlHostProps = Omit<ContextOptions, "strings" | "control"> & { control: string };

/**
 * One virtual control in the page, as the platform runs it: init once with the context, then updateView on
 * every render, its element mounted in the host's React tree (the platform's React, shared by both).
 */
export function ControlHost(props: ControlHostProps): React.ReactElement {
  const [loaded, setLoaded] = React.useState<{ ctor: new () => Instance; strings: Record<string, string> }>();
  const [error, setError] = React.useState<string>();
  const instance = React.useRef<Instance>();
  const width = useContainerWidth();
  React.useEffect(() => {
    let live = true;
    Promise.all([loadControl(props.control), controlStrings()]).then(
      ([ctor, all]) => live && setLoaded({ ctor, strings: all[props.control] ?? {} }),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [props.control]);
  React.useEffect(
    () => () => {
      instance.current?.destroy();
      instance.current = undefined;
    },
    [],
  );
  if (error)
    return (
      <MessageBar intent="error">
        <MessageBarBody>{error}</MessageBarBody>
      </MessageBar>
    );
  if (!loaded) return <Spinner size="small" label={STRINGS.loading} />;
  // The width the page gives the control, measured, as the platform gives a form column's (props.width
  // until the first measure).
  const context = controlContext({ ...props, width: width.px ?? props.width, strings: loaded.strings });
  if (!instance.current) {
    instance.current = new loaded.ctor();
    instance.current.init(context, () => undefined, {});
  }
  return <div ref={width.ref}>{instance.current.updateView(context)}</div>;
}

/** The element's width, kept current as the window or the page layout changes (ResizeObserver). */
function useContainerWidth(): { ref: React.RefCallback<HTMLDivElement>; px: number | undefined } {
  const [px, setPx] = React.useState<number>();
  const observer = React.useRef<ResizeObserver>();
  const ref = React.useCallback((el: HTMLDivElement | null) => {
    observer.current?.disconnect();
    if (!el) return;
    setPx(Math.round(el.clientWidth));
    observer.current = new ResizeObserver(() => setPx(Math.round(el.clientWidth)));
    observer.current.observe(el);
  }, []);
  React.useEffect(() => () => observer.current?.disconnect(), []);
  return { ref, px };
}
