import { FluentProvider, type Theme, webDarkTheme, webLightTheme } from "@fluentui/react-components";
import * as React from "react";

import { useThemeRootStyles } from "./theme.styles";

/** The host's theme as index.ts reads it from context.fluentDesignLanguage (undefined outside the new look). */
export interface HostTheme {
  tokenTheme?: Theme;
  isDarkTheme?: boolean;
}

/** The theme to render with: the host's tokens when present, else Fluent's web light (or dark) theme. */
export function themeOf(host: HostTheme | undefined): Theme {
  if (host?.tokenTheme) return host.tokenTheme;
  return host?.isDarkTheme ? webDarkTheme : webLightTheme;
}

export function ThemeRoot(props: {
  host: HostTheme | undefined;
  rtl?: boolean;
  label: string;
  children: React.ReactNode;
}): React.ReactElement {
  const s = useThemeRootStyles();
  return (
    <FluentProvider theme={themeOf(props.host)} dir={props.rtl ? "rtl" : "ltr"} className={s.root}>
      <section aria-label={props.label} data-theme={props.host?.isDarkTheme ? "dark" : "light"}>
        {props.children}
      </section>
    </FluentProvider>
  );
}
