import { Button } from "@fluentui/react-components";
import * as React from "react";

import type { Strings } from "./strings";

/** "Load more" while a dataset has a further page; "Loading…" and disabled while it loads. */
export function LoadMore(props: {
  hasNextPage: boolean;
  loading: boolean;
  onLoadMore: () => void;
  t: Strings;
}): React.ReactElement | null {
  if (!props.hasNextPage) return null;
  return (
    <Button size="small" appearance="secondary" onClick={props.onLoadMore} disabled={props.loading}>
      {props.loading ? props.t("loading") : props.t("loadMore")}
    </Button>
  );
}
