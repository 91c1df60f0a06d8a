// Rapport scale-out service on Azure: a Function App on the Flex Consumption plan, its Storage account
// (queues, blobs, deployment package), Key Vault (RBAC) for secrets referenced from app settings,
// Application Insights, and one user-assigned managed identity that reaches all of them without keys.
// Deploy: az deployment group create -g <rg> -f server/infra/main.bicep -p orgDomains=contoso.com ...
// (see README "Deploy to Azure"). Not compiled on the build machine: the Bicep compiler ships on NuGet and
// with the az CLI, neither reachable there; tests/unit/infra/bicep.test.ts checks its structure instead.
// docs/scale-out.md ("Deploy") compares it field by field with Microsoft's Flex Consumption quickstart.

@description('Base name: resources are named from it and a hash of the resource group.')
@minLength(3)
@maxLength(12)
param name string = 'rapport'

param location string = resourceGroup().location

@description('Organisation mail domains, comma-separated (RAPPORT_ORG_DOMAINS).')
param orgDomains string

@description('Partitions of external parties (RAPPORT_PARTITIONS); see docs/scale-out.md.')
@minValue(1)
@maxValue(4096)
param partitions int = 64

@description('Dataverse environment URL, e.g. https://contoso.crm.dynamics.com.')
param dataverseUrl string

@description('Entra tenant of the app registration.')
param tenantId string = subscription().tenantId

@description('Application (client) id of the Rapport app registration (Graph and Dataverse).')
param appClientId string

@description('Client secret of the app registration: stored in Key Vault, referenced by the app.')
@secure()
param appClientSecret string

@description('clientState of Graph subscriptions (at most 128 characters): stored in Key Vault.')
@secure()
@maxLength(128)
param graphClientState string

@description('Node.js version of the Functions runtime (Flex Consumption supports 20 and 22; Node 20 reached end of life in April 2026).')
@allowed(['20', '22'])
param nodeVersion string = '22'

@description('Key Vault name seed: the vault is named from the resource group and, when set, this seed. Purge protection keeps a deleted vault\'s name for its retention (90 days): to redeploy into a resource group deleted within that time, recover the vault (keyVaultCreateMode=recover) or pass a new seed for a new vault.')
param keyVaultNameSeed string = ''

@description('default: create the vault; recover: recover the soft-deleted vault of the same name (same subscription and location) and update its secrets.')
@allowed(['default', 'recover'])
param keyVaultCreateMode string = 'default'

@description('Most instances the app may scale out to (Flex Consumption: 40 to 1,000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory per instance in MB (Flex Consumption: 2048 or 4096): bounds the interactions per partition.')
@allowed([2048, 4096])
param instanceMemoryMB int = 2048

var suffix = uniqueString(resourceGroup().id, name)
// Without a seed, the name earlier deployments gave the vault (so an existing deployment keeps its vault).
var vaultSuffix = empty(keyVaultNameSeed) ? suffix : uniqueString(resourceGroup().id, name, keyVaultNameSeed)
var storageName = take('${replace(name, '-', '')}${suffix}', 24)
var deploymentContainer = 'app-package'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${name}-id-${suffix}'
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    // Identity only: no account keys in any setting.
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource packageContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainer
}

resource stateContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'rapport'
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('${name}-kv-${vaultSuffix}', 24)
  location: location
  properties: {
    createMode: keyVaultCreateMode
    tenantId: tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
  }
}

resource appSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'app-client-secret'
  properties: { value: appClientSecret }
}

resource clientStateSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'graph-client-state'
  properties: { value: graphClientState }
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-log-${suffix}'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-ai-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    // Telemetry only with Entra auth (the identity below), never with the instrumentation key alone.
    DisableLocalAuth: true
  }
}

// Built-in roles: the least each needs.
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in [roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor]: {
    name: guid(storage.id, identity.id, role)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource vaultRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource insightsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${name}-plan-${suffix}'
  location: location
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: '${name}-${suffix}'
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve with this identity.
    keyVaultReferenceIdentity: identity.id
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identity.id }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: { name: 'node', version: nodeVersion }
    }
    // No ftpsState (nor any other site property on Flex Consumption's deprecation list: ARM refuses them);
    // FTP publishing does not exist on Flex Consumption, which deploys from the package container above.
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [
        // Storage through the managed identity (host bindings and the app's own clients).
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
        { name: 'RAPPORT_ORG_DOMAINS', value: orgDomains }
        { name: 'RAPPORT_PARTITIONS', value: string(partitions) }
        { name: 'RAPPORT_CONTAINER', value: stateContainer.name }
        // Node arguments of the worker process: a larger young generation. A partition's recompute
        // allocates hundreds of MB of short-lived objects; at V8's default semi-space most of them are
        // copied before they die (docs/benchmarks.md, "Issue 18": the full run 53 s -> 49 s at 50 x 500,000).
        { name: 'languageWorkers__node__arguments', value: '--max-semi-space-size=64' }
        // No RAPPORT_MAILBOX_FOLDER: mailboxes are read from Microsoft Graph with the GRAPH_* settings below.
        { name: 'GRAPH_CLIENT_STATE', value: '@Microsoft.KeyVault(SecretUri=${clientStateSecret.properties.secretUri})' }
        { name: 'DATAVERSE_URL', value: dataverseUrl }
        { name: 'DATAVERSE_AUTH', value: 'clientSecret' }
        { name: 'DATAVERSE_TENANT_ID', value: tenantId }
        { name: 'DATAVERSE_CLIENT_ID', value: appClientId }
        { name: 'DATAVERSE_CLIENT_SECRET', value: '@Microsoft.KeyVault(SecretUri=${appSecret.properties.secretUri})' }
        { name: 'GRAPH_TENANT_ID', value: tenantId }
        { name: 'GRAPH_CLIENT_ID', value: appClientId }
        { name: 'GRAPH_CLIENT_SECRET', value: '@Microsoft.KeyVault(SecretUri=${appSecret.properties.secretUri})' }
      ]
    }
  }
  dependsOn: [storageRoles, vaultRole, insightsRole]
}

output functionAppName string = app.name
output functionAppUrl string = 'https://${app.properties.defaultHostName}'
output graphNotificationUrl string = 'https://${app.properties.defaultHostName}/api/graph/notifications'
output storageAccountName string = storage.name
output keyVaultName string = vault.name
