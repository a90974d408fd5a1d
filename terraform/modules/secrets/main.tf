locals {
  # Values Terraform makes. A change (a new Redis AUTH string, a rotated password) adds a version;
  # apps read "latest" when they start.
  generated_names = [
    "database-url",
    "migration-database-url",
    "database-app-password",
    "redis-url",
    "session-secret",
    "encryption-key",
    "service-token-private-key",
    "redis-ca",
  ]

  # Filled in by operators (gcloud secrets versions add); until then a blank version, which the
  # apps treat as unset.
  operator_names = [
    "smtp-url",
    "github-client-secret",
    "ai-chat-api-key",
    "ai-embeddings-api-key",
    "pinecone-api-key",
  ]

  # TLS without verifying the server's name: Cloud SQL's certificate names the instance, not its
  # private IP, and the connection never leaves the VPC. uselibpqcompat gives sslmode libpq's
  # meaning (encrypt); node-postgres alone would read "require" as verify-full and refuse.
  database_address = "${var.database_host}:5432/${var.database_name}?sslmode=require&uselibpqcompat=true"

  generated = {
    "database-url"              = "postgresql://${var.database_app_user}:${var.database_app_password}@${local.database_address}"
    "migration-database-url"    = "postgresql://${var.database_owner_user}:${var.database_owner_password}@${local.database_address}"
    "database-app-password"     = var.database_app_password
    "redis-url"                 = "rediss://:${var.redis_auth_string}@${var.redis_host}:${var.redis_port}"
    "session-secret"            = random_password.session_secret.result
    "encryption-key"            = random_bytes.encryption_key.base64
    "service-token-private-key" = tls_private_key.service_token.private_key_pem_pkcs8
    # Memorystore signs its TLS certificate with its own CA; the apps trust it through
    # NODE_EXTRA_CA_CERTS pointing at this secret mounted as a file.
    "redis-ca" = var.redis_ca_certificates
  }

  access_grants = merge([
    for secret, apps in var.accessors : {
      for app in apps : "${secret}/${app}" => { secret = secret, app = app }
    }
  ]...)
}

resource "random_password" "session_secret" {
  length  = 48
  special = false
}

resource "random_bytes" "encryption_key" {
  length = 32
}

resource "tls_private_key" "service_token" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

resource "google_secret_manager_secret" "this" {
  for_each = toset(concat(local.generated_names, local.operator_names))

  project   = var.project_id
  secret_id = "${var.name_prefix}-${each.key}"

  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "generated" {
  for_each = toset(local.generated_names)

  secret      = google_secret_manager_secret.this[each.key].id
  secret_data = local.generated[each.key]
}

resource "google_secret_manager_secret_version" "operator" {
  for_each = toset(local.operator_names)

  secret      = google_secret_manager_secret.this[each.key].id
  secret_data = "\n"

  lifecycle {
    # The operator's own versions supersede this one; Terraform leaves them alone.
    ignore_changes = [secret_data, enabled]
  }
}

resource "google_secret_manager_secret_iam_member" "accessor" {
  for_each = local.access_grants

  project   = var.project_id
  secret_id = google_secret_manager_secret.this[each.value.secret].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${var.service_account_emails[each.value.app]}"
}
