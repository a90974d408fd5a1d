data "google_project" "this" {
  project_id = var.project_id
}

locals {
  name_prefix = "devflow-${var.environment}"
  data_dir    = "/tmp/devflow"

  collab_host       = "collab.${var.domain}"
  ai_host           = "ai.${var.domain}"
  public_url        = "https://app.${var.domain}"
  collab_public_url = "https://${local.collab_host}"
  ai_public_url     = "https://${local.ai_host}"
  # Cloud Run's deterministic URL, known before the service exists (the push subscriptions and the
  # worker's own audience need it, and a service cannot refer to its own uri).
  worker_url             = "https://${local.name_prefix}-worker-${data.google_project.this.number}.${var.region}.run.app"
  push_endpoint          = "${local.worker_url}/pubsub/push"
  service_token_jwks_url = "${local.public_url}/.well-known/jwks.json"
  mail_from              = var.mail_from != "" ? var.mail_from : "DevFlow <no-reply@${var.domain}>"
  uploads_bucket_name    = var.uploads_bucket_name != "" ? var.uploads_bucket_name : "${var.project_id}-devflow-${var.environment}-uploads"

  # Cloud Run sends SIGKILL 10 s after SIGTERM; the apps must finish draining before that.
  cloud_run_shutdown_ms = "8000"
  # Secrets mounted as files on Cloud Run: directory => secret id (one file, ca.pem, in each).
  cloud_run_secret_files  = { "/var/run/secrets/devflow/redis-ca" = module.secrets.ids["redis-ca"] }
  cloud_run_redis_ca_file = "/var/run/secrets/devflow/redis-ca/ca.pem"

  # Which app reads which secret (the deployment contract's table); each app's service account
  # gets secretAccessor on exactly these.
  secret_users = {
    "database-url"              = ["web", "worker", "collab", "ai"]
    "migration-database-url"    = ["migrate"]
    "database-app-password"     = ["migrate"]
    "redis-url"                 = ["web", "worker", "collab", "ai"]
    "session-secret"            = ["web"]
    "encryption-key"            = ["web", "worker", "ai"]
    "service-token-private-key" = ["web"]
    "redis-ca"                  = ["web", "worker", "collab", "ai"]
    "smtp-url"                  = ["web", "worker"]
    "github-client-secret"      = ["web"]
    "ai-chat-api-key"           = ["worker", "ai"]
    "ai-embeddings-api-key"     = ["web", "worker", "ai"]
    "pinecone-api-key"          = ["web", "worker", "ai"]
  }
}

module "network" {
  source = "../network"

  project_id            = var.project_id
  region                = var.region
  name                  = local.name_prefix
  subnet_cidr           = var.network_cidrs.subnet
  pods_cidr             = var.network_cidrs.pods
  services_cidr         = var.network_cidrs.services
  serverless_cidr       = var.network_cidrs.serverless
  private_services_cidr = var.network_cidrs.private_services

  depends_on = [google_project_service.this]
}

module "service_accounts" {
  source = "../service-accounts"

  project_id             = var.project_id
  name_prefix            = local.name_prefix
  workload_identity_pool = module.gke.workload_pool
  kubernetes_namespace   = "devflow"

  depends_on = [google_project_service.this]
}

module "artifact_registry" {
  source = "../artifact-registry"

  project_id     = var.project_id
  region         = var.region
  immutable_tags = var.artifact_immutable_tags
  readers        = { gke-nodes = module.service_accounts.members["gke-nodes"] }

  depends_on = [google_project_service.this]
}

module "gke" {
  source = "../gke"

  project_id                 = var.project_id
  region                     = var.region
  name                       = local.name_prefix
  network_id                 = module.network.network_id
  subnet_name                = module.network.gke_subnet_name
  pods_range_name            = module.network.pods_range_name
  services_range_name        = module.network.services_range_name
  node_service_account_email = module.service_accounts.emails["gke-nodes"]
  release_channel            = var.gke_release_channel
  master_authorized_networks = var.gke_master_authorized_networks
  deletion_protection        = var.deletion_protection

  depends_on = [google_project_service.this]
}

module "cloud_sql" {
  source = "../cloud-sql"

  project_id             = var.project_id
  region                 = var.region
  name                   = local.name_prefix
  network_id             = module.network.private_services_network_id
  tier                   = var.database_tier
  high_availability      = var.database_high_availability
  disk_size_gb           = var.database_disk_size_gb
  backup_retention_count = var.database_backup_retention_count
  database_flags         = var.database_flags
  deletion_protection    = var.deletion_protection

  depends_on = [google_project_service.this]
}

module "memorystore" {
  source = "../memorystore"

  project_id        = var.project_id
  region            = var.region
  name              = local.name_prefix
  network_id        = module.network.private_services_network_id
  reserved_ip_range = module.network.private_services_range_name
  tier              = var.redis_tier
  memory_size_gb    = var.redis_memory_size_gb

  depends_on = [google_project_service.this]
}

module "storage" {
  source = "../storage"

  project_id                        = var.project_id
  name                              = local.uploads_bucket_name
  location                          = var.uploads_bucket_location != "" ? var.uploads_bucket_location : var.region
  noncurrent_version_retention_days = var.uploads_noncurrent_retention_days

  object_users = {
    web    = module.service_accounts.members["web"]
    worker = module.service_accounts.members["worker"]
  }

  depends_on = [google_project_service.this]
}

module "secrets" {
  source = "../secrets"

  project_id              = var.project_id
  name_prefix             = local.name_prefix
  database_host           = module.cloud_sql.private_ip
  database_name           = module.cloud_sql.database_name
  database_owner_user     = module.cloud_sql.owner_user
  database_owner_password = module.cloud_sql.owner_password
  database_app_user       = module.cloud_sql.app_user
  database_app_password   = module.cloud_sql.app_password
  redis_host              = module.memorystore.host
  redis_port              = module.memorystore.port
  redis_auth_string       = module.memorystore.auth_string
  redis_ca_certificates   = join("\n", module.memorystore.server_ca_certs)
  accessors               = local.secret_users
  service_account_emails  = module.service_accounts.emails

  depends_on = [google_project_service.this]
}

module "pubsub" {
  source = "../pubsub"

  project_id                 = var.project_id
  project_number             = data.google_project.this.number
  topic_prefix               = var.pubsub_topic_prefix
  event_types                = local.event_types
  handlers                   = local.event_handlers
  push_endpoint              = local.push_endpoint
  push_audience              = local.push_endpoint
  push_service_account_email = module.service_accounts.emails["pubsub-push"]

  publishers = {
    web    = module.service_accounts.members["web"]
    worker = module.service_accounts.members["worker"]
  }

  depends_on = [google_project_service.this]
}

# Web: behind the HTTPS load balancer only (internal-and-load-balancer ingress; the ai pods reach
# its run.app URL from the VPC). Public invoker: the load balancer carries no Google identity, and
# the app does its own sign-in.
module "web" {
  source = "../cloud-run-service"

  project_id            = var.project_id
  region                = var.region
  name                  = "${local.name_prefix}-web"
  image                 = "${module.artifact_registry.registry}/web:${var.image_tag}"
  container_port        = 3000
  service_account_email = module.service_accounts.emails["web"]
  ingress               = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"
  public                = true
  vpc_network           = module.network.network_name
  vpc_subnetwork        = module.network.serverless_subnet_name
  min_instances         = var.web_service.min_instances
  max_instances         = var.web_service.max_instances
  cpu                   = var.web_service.cpu
  memory                = var.web_service.memory
  concurrency           = var.web_service.concurrency
  data_dir              = local.data_dir
  deletion_protection   = var.deletion_protection

  env = {
    DEVFLOW_ENV            = "production"
    LOG_LEVEL              = var.log_level
    DATA_DIR               = local.data_dir
    SHUTDOWN_TIMEOUT_MS    = local.cloud_run_shutdown_ms
    NODE_EXTRA_CA_CERTS    = local.cloud_run_redis_ca_file
    PUBLIC_URL             = local.public_url
    COLLAB_PUBLIC_URL      = local.collab_public_url
    WORKER_PUBLIC_URL      = local.worker_url
    AI_PUBLIC_URL          = local.ai_public_url
    MCP_RESOURCE_URL       = "${local.ai_public_url}/mcp"
    BLOB_STORE             = "gcs"
    GCS_BUCKET             = module.storage.name
    GCS_PROJECT_ID         = var.project_id
    EVENT_BUS              = "pubsub"
    PUBSUB_PROJECT_ID      = var.project_id
    PUBSUB_TOPIC_PREFIX    = var.pubsub_topic_prefix
    MAIL_FROM              = local.mail_from
    GITHUB_CLIENT_ID       = var.github_client_id
    AI_EMBEDDINGS_PROVIDER = var.ai_embeddings_provider
    AI_EMBEDDINGS_MODEL    = var.ai_embeddings_model
    AI_VECTOR_STORE        = var.ai_vector_store
    PINECONE_INDEX_HOST    = var.pinecone_index_host
    DATABASE_POOL_MAX      = tostring(var.database_pool_max)
  }

  secret_env = {
    DATABASE_URL              = module.secrets.ids["database-url"]
    REDIS_URL                 = module.secrets.ids["redis-url"]
    SESSION_SECRET            = module.secrets.ids["session-secret"]
    ENCRYPTION_KEY            = module.secrets.ids["encryption-key"]
    SERVICE_TOKEN_PRIVATE_KEY = module.secrets.ids["service-token-private-key"]
    SMTP_URL                  = module.secrets.ids["smtp-url"]
    GITHUB_CLIENT_SECRET      = module.secrets.ids["github-client-secret"]
    AI_EMBEDDINGS_API_KEY     = module.secrets.ids["ai-embeddings-api-key"]
    PINECONE_API_KEY          = module.secrets.ids["pinecone-api-key"]
  }

  secret_files = local.cloud_run_secret_files

  depends_on = [google_project_service.this]
}

# Worker: reachable from the internet, because GitHub and Slack webhooks and Pub/Sub pushes land
# on its run.app URL; the app verifies webhook signatures and the push OIDC tokens itself. CPU
# stays allocated and one instance stays up: the outbox relay and scheduled jobs run between
# requests.
module "worker" {
  source = "../cloud-run-service"

  project_id            = var.project_id
  region                = var.region
  name                  = "${local.name_prefix}-worker"
  image                 = "${module.artifact_registry.registry}/worker:${var.image_tag}"
  container_port        = 3003
  service_account_email = module.service_accounts.emails["worker"]
  ingress               = "INGRESS_TRAFFIC_ALL"
  public                = true
  invokers              = { pubsub-push = module.service_accounts.members["pubsub-push"] }
  vpc_network           = module.network.network_name
  vpc_subnetwork        = module.network.serverless_subnet_name
  min_instances         = var.worker_service.min_instances
  max_instances         = var.worker_service.max_instances
  cpu                   = var.worker_service.cpu
  memory                = var.worker_service.memory
  concurrency           = var.worker_service.concurrency
  cpu_always_allocated  = true
  # Pub/Sub's longest ack deadline: a push may run this long before it is redelivered.
  timeout_seconds     = 600
  data_dir            = local.data_dir
  deletion_protection = var.deletion_protection

  env = {
    DEVFLOW_ENV                 = "production"
    LOG_LEVEL                   = var.log_level
    DATA_DIR                    = local.data_dir
    SHUTDOWN_TIMEOUT_MS         = local.cloud_run_shutdown_ms
    NODE_EXTRA_CA_CERTS         = local.cloud_run_redis_ca_file
    PUBLIC_URL                  = local.public_url
    SERVICE_TOKEN_JWKS_URL      = local.service_token_jwks_url
    BLOB_STORE                  = "gcs"
    GCS_BUCKET                  = module.storage.name
    GCS_PROJECT_ID              = var.project_id
    EVENT_BUS                   = "pubsub"
    PUBSUB_PROJECT_ID           = var.project_id
    PUBSUB_TOPIC_PREFIX         = var.pubsub_topic_prefix
    PUBSUB_DELIVERY             = "push"
    PUBSUB_PUSH_AUDIENCE        = local.push_endpoint
    PUBSUB_PUSH_SERVICE_ACCOUNT = module.service_accounts.emails["pubsub-push"]
    MAIL_FROM                   = local.mail_from
    AI_CHAT_PROVIDER            = var.ai_chat_provider
    AI_CHAT_MODEL               = var.ai_chat_model
    AI_EMBEDDINGS_PROVIDER      = var.ai_embeddings_provider
    AI_EMBEDDINGS_MODEL         = var.ai_embeddings_model
    AI_VECTOR_STORE             = var.ai_vector_store
    PINECONE_INDEX_HOST         = var.pinecone_index_host
    CLAMAV_HOST                 = var.clamav_host
    DATABASE_POOL_MAX           = tostring(var.database_pool_max)
  }

  secret_env = {
    DATABASE_URL          = module.secrets.ids["database-url"]
    REDIS_URL             = module.secrets.ids["redis-url"]
    ENCRYPTION_KEY        = module.secrets.ids["encryption-key"]
    SMTP_URL              = module.secrets.ids["smtp-url"]
    AI_CHAT_API_KEY       = module.secrets.ids["ai-chat-api-key"]
    AI_EMBEDDINGS_API_KEY = module.secrets.ids["ai-embeddings-api-key"]
    PINECONE_API_KEY      = module.secrets.ids["pinecone-api-key"]
  }

  secret_files = local.cloud_run_secret_files

  depends_on = [google_project_service.this]
}

# The worker image's `node migrate.mjs`, as the schema owner. Run by the deploy before the
# services move to a new image; it creates the vector extension and the devflow_app role and
# gives that role its password.
module "migrate" {
  source = "../cloud-run-job"

  project_id            = var.project_id
  region                = var.region
  name                  = "${local.name_prefix}-migrate"
  image                 = "${module.artifact_registry.registry}/worker:${var.image_tag}"
  command               = ["node", "migrate.mjs"]
  service_account_email = module.service_accounts.emails["migrate"]
  vpc_network           = module.network.network_name
  vpc_subnetwork        = module.network.serverless_subnet_name
  deletion_protection   = var.deletion_protection

  env = {
    DEVFLOW_ENV = "production"
  }

  secret_env = {
    MIGRATION_DATABASE_URL = module.secrets.ids["migration-database-url"]
    DATABASE_APP_PASSWORD  = module.secrets.ids["database-app-password"]
  }

  depends_on = [google_project_service.this]
}

module "load_balancer" {
  source = "../load-balancer"

  project_id        = var.project_id
  region            = var.region
  name              = "${local.name_prefix}-web"
  domain            = "app.${var.domain}"
  cloud_run_service = module.web.name
  security_policy   = var.web_security_policy

  ingress_address_names = {
    collab = "${local.name_prefix}-collab"
    ai     = "${local.name_prefix}-ai"
  }

  depends_on = [google_project_service.this]
}
