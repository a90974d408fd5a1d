resource "google_redis_instance" "this" {
  project            = var.project_id
  name               = var.name
  region             = var.region
  tier               = var.tier
  memory_size_gb     = var.memory_size_gb
  redis_version      = "REDIS_7_2"
  authorized_network = var.network_id
  connect_mode       = "PRIVATE_SERVICE_ACCESS"
  reserved_ip_range  = var.reserved_ip_range

  # AUTH plus TLS: clients connect with rediss://:<auth string>@host:6378 and must trust the
  # instance's own CA (server_ca_certs), which no public trust store contains.
  auth_enabled            = true
  transit_encryption_mode = "SERVER_AUTHENTICATION"

  maintenance_policy {
    weekly_maintenance_window {
      day = "SUNDAY"

      start_time {
        hours   = 3
        minutes = 0
      }
    }
  }
}
