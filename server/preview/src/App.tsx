import {
  Badge,
  FluentProvider,
  Link,
  makeStyles,
  mergeClasses,
  Select,
  Switch,
  Text,
  tokens,
  webDarkTheme,
  webLightTheme,
} from "@fluentui/react-components";
import * as React from "react";

import { EmailPage } from "./EmailPage";
import type { HostUser } from "./pcfHost";
import { RecordPage } from "./RecordPage";
import { href, useRoute } from "./route";
import type { PreviewManifest } from "./spec";
import { Failed, Loading } from "./states";
import { STRINGS } from "./strings";
import { useLoad } from "./usePromise";
import { ViewPage } from "./ViewPage";
import { getAll, webApi } from "./webApi";

const PHONE = "@media (max-width: 600px)";

const useStyles = makeStyles({
  shell: { display: "grid", gridTemplateRows: "auto 1fr", height: "100%" },
  top: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    minHeight: "48px",
    gap: tokens.spacingHorizontalM,
    padding: `0 ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  brand: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  spacer: { flexGrow: 1 },
  topLabel: { color: tokens.colorNeutralForegroundOnBrand },
  body: {
    display: "grid",
    gridTemplateColumns: "200px minmax(0, 1fr)",
    minHeight: 0,
    // A phone: the site map becomes a row of links above the page, as the mobile app's.
    [PHONE]: { gridTemplateColumns: "minmax(0, 1fr)", gridTemplateRows: "auto 1fr" },
  },
  nav: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
    padding: tokens.spacingVerticalM,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
    [PHONE]: {
      flexDirection: "row",
      overflowX: "auto",
      padding: tokens.spacingVerticalXS,
      borderRight: "none",
      borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    },
  },
  navLink: {
    display: "block",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    color: tokens.colorNeutralForeground1,
    textDecorationLine: "none",
    ":hover": { backgroundColor: tokens.colorNeutralBackground3Hover, textDecorationLine: "none" },
    [PHONE]: { whiteSpace: "nowrap", flexShrink: 0 },
  },
  current: {
    backgroundColor: tokens.colorNeutralBackground1Selected,
    fontWeight: tokens.fontWeightSemibold,
    borderLeft: `3px solid ${tokens.colorBrandStroke1}`,
  },
  main: {
    overflow: "auto",
    padding: tokens.spacingHorizontalXL,
    [PHONE]: { padding: tokens.spacingHorizontalM },
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground1,
  },
  frame: {
    width: "100%",
    height: "calc(100vh - 48px - 48px)",
    border: "none",
    backgroundColor: tokens.colorNeutralBackground1,
  },
});

const USER_KEY = "rapport.preview.user";
/** Read by the preview server: the Web API requests of every page (the settings frame too) run as this user. */
const USER_COOKIE = "rapport_preview_user";

function signIn(id: string): void {
  document.cookie = `${USER_COOKIE}=${encodeURIComponent(id)}; Path=/; SameSite=Strict`;
}

/** The user's security role ids, as the platform gives them to controls (userSettings.securityRoles). */
async function rolesOf(id: string): Promise<string[]> {
  try {
    const rows = await getAll(`systemusers(${id})/systemuserroles_association?$select=roleid`);
    return rows.map((r) => String(r["roleid"]));
  } catch (e) {
    // The platform knows a user's roles even when the user may not read the role tables (the service).
    if ((e as { status?: unknown }).status === 403) return [];
    throw e;
  }
}
const THEME_KEY = "rapport.preview.dark";

interface Loaded {
  manifest: PreviewManifest;
  users: HostUser[];
}

async function loadShell(): Promise<Loaded> {
  const res = await fetch("/preview/manifest.json", { credentials: "same-origin" });
  if (!res.ok) throw new Error(`manifest: ${res.status}`);
  const manifest = (await res.json()) as PreviewManifest;
  const users = // People sign in; application users (the Rapport service) have no mailbox and cannot.
    (
      await getAll(
        "systemusers?$select=systemuserid,fullname,internalemailaddress&$filter=internalemailaddress ne null&$orderby=fullname",
      )
    ).map((u) => ({
      id: String(u["systemuserid"]),
      name: String(u["fullname"] ?? u["internalemailaddress"] ?? ""),
    }));
  return { manifest, users };
}

/** The model-driven app around Rapport's controls: sitemap, view pages, record forms, settings. */
export function App(): React.ReactElement {
  const [dark, setDark] = React.useState(() => localStorage.getItem(THEME_KEY) === "1");
  const [shell, reload] = useLoad(loadShell, []);
  const theme = dark ? webDarkTheme : webLightTheme;
  return (
    <FluentProvider theme={theme} style={{ height: "100%" }}>
      {shell.state === "loading" ? <Loading /> : null}
      {shell.state === "error" ? <Failed message={shell.message} onRetry={reload} /> : null}
      {shell.state === "done" ? (
        <Shell
          {...shell.value}
          dark={dark}
          onDark={(d) => {
            localStorage.setItem(THEME_KEY, d ? "1" : "0");
            setDark(d);
          }}
        />
      ) : null}
    </FluentProvider>
  );
}

// eslint-disable-next-line complexity, max-lines-per-function -- larger than the guard rails when they came in (issue 22 §5); split it when it next changes
function Shell(props: Loaded & { dark: boolean; onDark: (dark: boolean) => void }): React.ReactElement {
  const s = useStyles();
  const { manifest, users, dark } = props;
  const route = useRoute(manifest.tables[0]!.logicalName);
  const [userId, setUserId] = React.useState(() => {
    const saved = localStorage.getItem(USER_KEY);
    const id = users.some((u) => u.id === saved) ? saved! : (users[0]?.id ?? "");
    signIn(id);
    return id;
  });
  const [roles, reloadRoles] = useLoad(() => (userId ? rolesOf(userId) : Promise.resolve([])), [userId]);
  const listed = users.find((u) => u.id === userId);
  const user = listed && roles.state === "done" ? { ...listed, roles: roles.value } : undefined;
  const api = React.useMemo(() => webApi(manifest.entitySets), [manifest]);
  const theme = dark ? webDarkTheme : webLightTheme;
  const openForm = React.useCallback((entityName: string, entityId: string) => {
    location.hash = href({ page: "record", table: entityName, id: entityId });
  }, []);

  let content: React.ReactElement;
  const table =
    route.page === "view" || route.page === "record"
      ? manifest.tables.find((t) => t.logicalName === route.table)
      : undefined;
  if (!listed) content = <Text>{STRINGS.noUsers}</Text>;
  else if (roles.state === "error") content = <Failed message={roles.message} onRetry={reloadRoles} />;
  else if (!user) content = <Loading />;
  else if (route.page === "settings")
    content = <iframe className={s.frame} title={STRINGS.settingsFrame} src={manifest.settingsPage} />;
  else if (route.page === "record" && route.table === "email") content = <EmailPage id={route.id} />;
  else if (route.page === "record" && table)
    content = (
      <RecordPage
        table={table}
        id={route.id}
        user={user}
        theme={theme}
        dark={dark}
        webAPI={api}
        openForm={openForm}
      />
    );
  else if (route.page === "view" && table)
    content = (
      <ViewPage
        table={table}
        viewId={route.viewId}
        user={user}
        theme={theme}
        dark={dark}
        webAPI={api}
        openForm={openForm}
      />
    );
  else content = <Text role="alert">{STRINGS.notFound}</Text>;

  const navItem = (key: string, label: string, target: string, current: boolean) => (
    <Link
      key={key}
      href={target}
      className={mergeClasses(s.navLink, current && s.current)}
      aria-current={current ? "page" : undefined}
    >
      {label}
    </Link>
  );
  return (
    <div className={s.shell}>
      <header className={s.top}>
        <span className={s.brand}>{STRINGS.appName}</span>
        <Badge
          appearance="outline"
          color="informative"
          style={{ color: "inherit", borderColor: "currentColor" }}
        >
          {STRINGS.previewBadge}
        </Badge>
        <span className={s.spacer} />
        <label className={s.topLabel} htmlFor="preview-user">
          {STRINGS.signedInAs}
        </label>
        <Select
          id="preview-user"
          size="small"
          value={userId}
          onChange={(_, d) => {
            localStorage.setItem(USER_KEY, d.value);
            signIn(d.value);
            setUserId(d.value);
          }}
        >
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </Select>
        <Switch
          checked={dark}
          onChange={(_, d) => props.onDark(d.checked)}
          label={<span className={s.topLabel}>{STRINGS.theme}</span>}
        />
      </header>
      <div className={s.body}>
        <nav className={s.nav} aria-label={STRINGS.navLabel}>
          {manifest.tables.map((t) =>
            navItem(
              t.logicalName,
              t.displayCollectionName,
              href({ page: "view", table: t.logicalName }),
              (route.page === "view" || route.page === "record") && route.table === t.logicalName,
            ),
          )}
          {navItem("settings", STRINGS.settings, href({ page: "settings" }), route.page === "settings")}
        </nav>
        <main className={s.main} key={user?.id}>
          {content}
        </main>
      </div>
    </div>
  );
}
