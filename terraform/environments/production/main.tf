provider "google" {
  project = var.project_id
  region  = var.region

  default_labels = {
    app         = "devflow"
    environment = "production"
    managed-by  = "terraform"
  }
}

# Production: a Cloud SQL standby in a second zone, Redis with a failover replica, warm instances,
# and everything that holds data protected from deletion. max_connections covers every pool at
# full scale: (20 web + 10 worker + 20 collab + 10 ai) x 10 = 600, plus the migration job and
# operators.
module "devflow" {
  source = "../../modules/devflow"

  project_id          = var.project_id
  region              = var.region
  environment         = "production"
  domain              = var.domain
  image_tag           = var.image_tag
  deletion_protection = true

  gke_release_channel            = "STABLE"
  gke_master_authorized_networks = var.gke_master_authorized_networks

  database_tier                   = "db-custom-4-16384"
  database_high_availability      = true
  database_disk_size_gb           = 100
  database_backup_retention_count = 30
  database_flags                  = { max_connections = "800" }
  database_pool_max               = 10

  redis_tier           = "STANDARD_HA"
  redis_memory_size_gb = 5

  web_service     = { min_instances = 2, max_instances = 20, cpu = "2", memory = "2Gi", concurrency = 80 }
  worker_service  = { min_instances = 2, max_instances = 10, cpu = "1", memory = "2Gi", concurrency = 20 }
  collab_replicas = { min = 3, max = 20 }
  ai_replicas     = { min = 2, max = 10 }

  artifact_immutable_tags = true
  web_security_policy     = var.web_security_policy

  log_level              = var.log_level
  mail_from              = var.mail_from
  github_client_id       = var.github_client_id
  ai_chat_provider       = var.ai_chat_provider
  ai_chat_model          = var.ai_chat_model
  ai_embeddings_provider = var.ai_embeddings_provider
  ai_embeddings_model    = var.ai_embeddings_model
  ai_vector_store        = var.ai_vector_store
  pinecone_index_host    = var.pinecone_index_host
  clamav_host            = var.clamav_host
}
