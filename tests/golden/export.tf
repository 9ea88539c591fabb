# Azure Private Link to ClickHouse Cloud, exported by chlink (profile "default").
# Credentials are not included: the providers read them from the environment
# (ARM_* for azurerm, CLICKHOUSE_* for the clickhouse provider).

resource "azurerm_private_endpoint" "clickhouse" {
  name                = "chlink-prod-west"
  location            = "westus3"
  resource_group_name = "rg1"
  subnet_id           = "/subscriptions/sub-1/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/default"

  private_service_connection {
    name                              = "chlink-prod-west"
    private_connection_resource_alias = "production-westus3-0-0.63c890a9.westus3.azure.privatelinkservice"
    is_manual_connection              = true
    request_message                   = "chlink: ClickHouse Private Link"
  }
}

resource "azurerm_private_dns_zone" "clickhouse" {
  name                = "westus3.privatelink.azure.clickhouse.cloud"
  resource_group_name = "rg1"
}

resource "azurerm_private_dns_a_record" "wildcard" {
  name                = "*"
  zone_name           = azurerm_private_dns_zone.clickhouse.name
  resource_group_name = "rg1"
  ttl                 = 300
  records             = [azurerm_private_endpoint.clickhouse.private_service_connection[0].private_ip_address]
}

resource "azurerm_private_dns_zone_virtual_network_link" "clickhouse" {
  name                  = "chlink-vnet1"
  resource_group_name   = "rg1"
  private_dns_zone_name = azurerm_private_dns_zone.clickhouse.name
  virtual_network_id    = "/subscriptions/sub-1/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vnet1"
  registration_enabled  = false
}

# The allow lists get the endpoint's resource id: azurerm does not export its
# resourceGuid, and ClickHouse Cloud accepts both forms.

# prod-west
resource "clickhouse_service_private_endpoints_attachment" "service_1" {
  service_id           = "11111111-1111-1111-1111-111111111111"
  private_endpoint_ids = [azurerm_private_endpoint.clickhouse.id]
}
