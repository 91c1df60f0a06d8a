import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
} from "@fluentui/react-components";
import * as React from "react";

import { STRINGS } from "./strings";

export function Loading(): React.ReactElement {
  return <Spinner label={STRINGS.loading} style={{ margin: 32 }} />;
}

export function Failed(props: { message: string; onRetry?: () => void }): React.ReactElement {
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{STRINGS.loadFailed}</MessageBarTitle>
        {props.message}
      </MessageBarBody>
      {props.onRetry ? (
        <MessageBarActions>
          <Button onClick={props.onRetry}>{STRINGS.retry}</Button>
        </MessageBarActions>
      ) : null}
    </MessageBar>
  );
}
