import { Button, MessageBar, MessageBarBody, MessageBarTitle, Spinner } from "@fluentui/react-components";
import * as React from "react";

import type { Strings } from "./strings";

/** What a control shows before or instead of its data. */
export type ViewState =
  | { kind: "loading" }
  | { kind: "error"; message: string }
  | { kind: "noAccess" }
  | { kind: "empty"; message: string }
  | { kind: "notEnoughInfo"; message?: string };

export function StateView(props: { state: ViewState; t: Strings; onRetry?: () => void }): React.ReactElement {
  const { state, t } = props;
  switch (state.kind) {
    case "loading":
      return <Spinner size="small" label={t("loading")} role="status" />;
    case "error":
      return (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>
            <MessageBarTitle>{t("errorTitle")}</MessageBarTitle> {state.message}{" "}
            {props.onRetry && (
              <Button size="small" appearance="transparent" onClick={props.onRetry}>
                {t("retry")}
              </Button>
            )}
          </MessageBarBody>
        </MessageBar>
      );
    case "noAccess":
      return (
        <MessageBar intent="warning" role="status">
          <MessageBarBody>{t("noAccess")}</MessageBarBody>
        </MessageBar>
      );
    case "empty":
      return (
        <MessageBar intent="info" role="status">
          <MessageBarBody>{state.message}</MessageBarBody>
        </MessageBar>
      );
    case "notEnoughInfo":
      return (
        <MessageBar intent="info" role="status">
          <MessageBarBody>{state.message ?? t("notEnoughInfo")}</MessageBarBody>
        </MessageBar>
      );
  }
}
