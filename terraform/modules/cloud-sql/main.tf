locals {
  database_name = "devflow"
  owner_user    = "devflow_owner"
  # devflow_app is created (NOLOGIN) by the migrations, which also CREATE EXTENSION vector; the
  # migration job gives it LOGIN with this password. Terraform never creates that role.
  app_user = "devflow_app"

  default_flags = {
    max_connections            = "200"
    log_min_duration_statement = "1000"
    log_lock_waits             = "on"
    log_temp_files             = "0"
  }
  flags = merge(local.default_flags, var.database_flags)
}

resource "random_id" "suffix" {
  byte_length = 2
}

resource "google_sql_database_instance" "this" {
  project             = var.project_id
  name                = "${var.name}-${random_id.suffix.hex}"
  region              = var.region
  database_version    = "POSTGRES_15"
  deletion_protection = var.deletion_protection

  settings {
    tier                        = var.tier
    edition                     = "ENTERPRISE"
    availability_type           = var.high_availability ? "REGIONAL" : "ZONAL"
    disk_type                   = "PD_SSD"
    disk_size                   = var.disk_size_gb
    disk_autoresize             = true
    deletion_protection_enabled = var.deletion_protection

    ip_configuration {
      ipv4_enabled    = false
      private_network = var.network_id
      # TLS required, without client certificates (DATABASE_URL says sslmode=require).
      ssl_mode = "ENCRYPTED_ONLY"
    }

    backup_configuration {
      enabled                        = true
      start_time                     = "02:00"
      point_in_time_recovery_enabled = true
      transaction_log_retention_days = var.point_in_time_recovery_days

      backup_retention_settings {
        retained_backups = var.backup_retention_count
        retention_unit   = "COUNT"
      }
    }

    maintenance_window {
      day          = 7
      hour         = 3
      update_track = "stable"
    }

    insights_config {
      query_insights_enabled  = true
      record_application_tags = false
      record_client_address   = false
    }

    dynamic "database_flags" {
      for_each = local.flags
      content {
        name  = database_flags.key
        value = database_flags.value
      }
    }
  }
}

resource "google_sql_database" "devflow" {
  project  = var.project_id
  name     = local.database_name
  instance = google_sql_database_instance.this.name
  # The schema is the migrations' to manage; removing this resource must not drop the data.
  deletion_policy = "ABANDON"
}

# URL-safe alphabets: both passwords end up inside postgresql:// URLs.
resource "random_password" "owner" {
  length  = 32
  special = false
}

resource "random_password" "app" {
  length  = 32
  special = false
}

# The schema owner the migration job logs in as (a member of cloudsqlsuperuser, so it may create
# the vector extension and the devflow_app role).
resource "google_sql_user" "owner" {
  project  = var.project_id
  name     = local.owner_user
  instance = google_sql_database_instance.this.name
  password = random_password.owner.result
  # It owns every table: Cloud SQL cannot drop a role that owns objects.
  deletion_policy = "ABANDON"
}
