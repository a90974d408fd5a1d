provider "google" {
  project = var.project_id
  region  = var.region

  default_labels = {
    app         = "devflow"
    environment = "staging"
    managed-by  = "terraform"
  }
}

# Staging: the production shape at its smallest. One database zone, Redis without a replica,
# services that scale to (nearly) nothing, and no deletion protection so it can be rebuilt.
module "devflow" {
  source = "../../modules/devflow"

  project_id          = var.project_id
  region              = var.region
  environment         = "staging"
  domain              = var.domain
  image_tag           = var.image_tag
  deletion_protection = false

  gke_release_channel            = "REGULAR"
  gke_master_authorized_networks = var.gke_master_authorized_networks

  database_tier                   = "db-custom-1-3840"
  database_high_availability      = false
  database_disk_size_gb           = 20
  database_backup_retention_count = 7
  database_pool_max               = 5

  redis_tier           = "BASIC"
  redis_memory_size_gb = 1

  web_service     = { min_instances = 0, max_instances = 4, cpu = "1", memory = "1Gi", concurrency = 80 }
  worker_service  = { min_instances = 1, max_instances = 2, cpu = "1", memory = "1Gi", concurrency = 20 }
  collab_replicas = { min = 1, max = 3 }
  ai_replicas     = { min = 1, max = 2 }

  artifact_immutable_tags = false
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
