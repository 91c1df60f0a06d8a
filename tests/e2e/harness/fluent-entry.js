// The Fluent v9 platform library as the harness supplies it (window.FluentUIReactv940, the global
// pcf-scripts maps @fluentui/react-components to): the exports Rapport's controls use, from the npm
// package pinned to the platform version (9.46.2).
export {
  Badge,
  Button,
  FluentProvider,
  Input,
  makeStyles,
  mergeClasses,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  shorthands,
  Spinner,
  Switch,
  tokens,
  webDarkTheme,
  webLightTheme,
} from "@fluentui/react-components";
