import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  tokens,
} from "@fluentui/react-components";
import * as React from "react";

import { STRINGS } from "./strings";

const useStyles = makeStyles({ loading: { margin: tokens.spacingVerticalXXXL } });

export function Loading(): React.ReactElement {
  const s = useStyles();
  return <Spinner label={STRINGS.loading} className={s.loading} />;
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
