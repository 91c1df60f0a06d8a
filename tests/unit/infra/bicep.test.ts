import { readFileSync } from "node:fs";
import path from "node:path";

import { SETTINGS } from "../../../server/src/functions/settings";

// No Bicep compiler can be installed on the build machine (it ships with the az CLI and on NuGet), so
// server/infra/main.bicep is checked by structure: what Flex Consumption refuses is absent, the runtime,
// the Key Vault's redeploy parameters, and the roles the README lists.

const ROOT = path.resolve(__dirname, "../../..");
const bicep = readFileSync(path.join(ROOT, "server/infra/main.bicep"), "utf8");
const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
/** The template without comments, so that a property named in a comment does not count. */
const code = bicep
  .split("\n")
  .map((line) => line.replace(/(^|\s)\/\/.*$/, ""))
  .join("\n");

/**
 * Site properties and app settings that Flex Consumption does not support (the "Flex Consumption plan
 * deprecations" of the Azure Functions app settings reference): the runtime and scale move to
 * functionAppConfig, content to the deployment container.
 */
const FLEX_UNSUPPORTED_PROPERTIES = [
  "ftpsState",
  "alwaysOn",
  "use32BitWorkerProcess",
  "linuxFxVersion",
  "windowsFxVersion",
  "netFrameworkVersion",
  "javaVersion",
  "powerShellVersion",
  "functionAppScaleLimit",
  "preWarmedInstanceCount",
  "containerSize",
  "isXenon",
];
const FLEX_UNSUPPORTED_SETTINGS = [
  "FUNCTIONS_EXTENSION_VERSION",
  "FUNCTIONS_WORKER_RUNTIME",
  "FUNCTIONS_WORKER_RUNTIME_VERSION",
  "FUNCTIONS_MAX_HTTP_CONCURRENCY",
  "FUNCTIONS_WORKER_PROCESS_COUNT",
  "FUNCTIONS_WORKER_DYNAMIC_CONCURRENCY_ENABLED",
  "SCM_DO_BUILD_DURING_DEPLOYMENT",
  "ENABLE_ORYX_BUILD",
  "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
  "WEBSITE_CONTENTSHARE",
  "WEBSITE_CONTENTOVERVNET",
  "WEBSITE_NODE_DEFAULT_VERSION",
  "WEBSITE_RUN_FROM_PACKAGE",
  "WEBSITE_SKIP_CONTENTSHARE_VALIDATION",
  "WEBSITE_VNET_ROUTE_ALL",
];

describe("server/infra/main.bicep", () => {
  test("sets no site property or app setting that Flex Consumption refuses", () => {
    for (const property of FLEX_UNSUPPORTED_PROPERTIES)
      expect({ property, found: new RegExp(`\\b${property}\\s*:`, "i").test(code) }).toEqual({
        property,
        found: false,
      });
    for (const setting of FLEX_UNSUPPORTED_SETTINGS)
      expect({ setting, found: code.includes(`'${setting}'`) }).toEqual({ setting, found: false });
  });

  test("brackets, braces and parentheses balance outside strings", () => {
    const stack: string[] = [];
    const pairs: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
    let inString = false;
    for (let i = 0; i < code.length; i++) {
      const c = code[i] as string;
      if (inString) {
        if (c === "\\") i++;
        else if (c === "'") inString = false;
      } else if (c === "'") inString = true;
      else if ("([{".includes(c)) stack.push(c);
      else if (c in pairs) expect(stack.pop()).toBe(pairs[c]);
    }
    expect(inString).toBe(false);
    expect(stack).toEqual([]);
  });

  test("runs Node 22 by default, from a parameter", () => {
    expect(code).toMatch(/@allowed\(\['20', '22'\]\)\s*\nparam nodeVersion string = '22'/);
    expect(code).toContain("runtime: { name: 'node', version: nodeVersion }");
    const engines = JSON.parse(readFileSync(path.join(ROOT, "server/package.json"), "utf8")) as {
      engines: { node: string };
    };
    expect(engines.engines.node).toBe(">=20 <23");
  });

  test("a redeploy after the resource group was deleted can recover the vault or name a new one", () => {
    expect(code).toContain("param keyVaultNameSeed string = ''");
    expect(code).toMatch(
      /@allowed\(\['default', 'recover'\]\)\s*\nparam keyVaultCreateMode string = 'default'/,
    );
    // Without a seed the vault keeps the name earlier deployments gave it.
    expect(code).toContain(
      "var vaultSuffix = empty(keyVaultNameSeed) ? suffix : uniqueString(resourceGroup().id, name, keyVaultNameSeed)",
    );
    expect(code).toContain("name: take('${name}-kv-${vaultSuffix}', 24)");
    expect(code).toContain("createMode: keyVaultCreateMode");
    expect(readme).toContain("-p keyVaultCreateMode=recover");
    expect(readme).toContain("-p keyVaultNameSeed=");
  });

  test("the README lists every role the template grants", () => {
    const names: Record<string, string> = {
      storageBlobDataOwner: "Storage Blob Data Owner",
      storageQueueDataContributor: "Storage Queue Data Contributor",
      storageTableDataContributor: "Storage Table Data Contributor",
      keyVaultSecretsUser: "Key Vault Secrets User",
      monitoringMetricsPublisher: "Monitoring Metrics Publisher",
    };
    const granted = [...code.matchAll(/roles\.(\w+)/g)].map((m) => m[1] as string);
    expect(new Set(granted)).toEqual(new Set(Object.keys(names)));
    const section = readme.slice(readme.indexOf("## Deploy to Azure")).replace(/\s+/g, " ");
    for (const key of new Set(granted)) expect(section).toContain(names[key]);
  });

  test("gives the Node worker a young generation sized for a partition's recompute", () => {
    expect(code).toMatch(/name: 'languageWorkers__node__arguments', value: '--max-semi-space-size=64'/);
  });

  test("sets the app settings the Functions app requires", () => {
    for (const name of [SETTINGS.storageAccount, SETTINGS.orgDomains, SETTINGS.graphClientState])
      expect(code).toContain(`name: '${name}'`);
  });
});
