# Read by infra/deploy/render-k8s.ts (terraform output -json k8s_values) to fill the ${NAME}
# placeholders of infra/k8s/*.yaml. Keys exactly as the manifests use them; every value a string.
output "k8s_values" {
  description = "Values of the Kubernetes manifests' placeholders (IMAGE_TAG comes from the deploy command)."
  value = {
    PROJECT_ID             = module.devflow.project_id
    REGION                 = module.devflow.region
    ENVIRONMENT            = module.devflow.environment
    IMAGE_REGISTRY         = module.devflow.image_registry
    COLLAB_GSA             = module.devflow.service_account_emails["collab"]
    AI_GSA                 = module.devflow.service_account_emails["ai"]
    COLLAB_HOST            = module.devflow.collab_host
    AI_HOST                = module.devflow.ai_host
    COLLAB_STATIC_IP       = module.devflow.collab_static_ip_name
    AI_STATIC_IP           = module.devflow.ai_static_ip_name
    PUBLIC_URL             = module.devflow.public_url
    AI_PUBLIC_URL          = module.devflow.ai_public_url
    SERVICE_TOKEN_JWKS_URL = module.devflow.service_token_jwks_url
    WEB_INTERNAL_URL       = module.devflow.web_internal_url
    SECRET_PREFIX          = module.devflow.secret_prefix
    COLLAB_MIN_REPLICAS    = tostring(module.devflow.collab_replicas.min)
    COLLAB_MAX_REPLICAS    = tostring(module.devflow.collab_replicas.max)
    AI_MIN_REPLICAS        = tostring(module.devflow.ai_replicas.min)
    AI_MAX_REPLICAS        = tostring(module.devflow.ai_replicas.max)
    AI_CHAT_PROVIDER       = var.ai_chat_provider
    AI_CHAT_MODEL          = var.ai_chat_model
    AI_EMBEDDINGS_PROVIDER = var.ai_embeddings_provider
    AI_EMBEDDINGS_MODEL    = var.ai_embeddings_model
    AI_VECTOR_STORE        = var.ai_vector_store
    PINECONE_INDEX_HOST    = var.pinecone_index_host
  }
}

output "dns_records" {
  description = "Hostname => IPv4 address: the A records to create at your DNS provider."
  value       = module.devflow.dns_records
}

output "image_registry" {
  description = "Where CI pushes the web, worker, collab and ai images."
  value       = module.devflow.image_registry
}

output "worker_url" {
  description = "The worker's address: GitHub and Slack webhook URLs start with it."
  value       = module.devflow.worker_url
}

output "migrate_job" {
  description = "The migration job, run before each rollout."
  value       = module.devflow.migrate_job
}

output "gke_cluster" {
  description = "The GKE cluster's name and location."
  value       = module.devflow.gke_cluster
}

output "cloud_run_services" {
  description = "Cloud Run service names of web and worker."
  value       = module.devflow.cloud_run_services
}

output "database" {
  description = "Cloud SQL instance, connection name and private IP."
  value       = module.devflow.database
}

output "redis_ca_certificates" {
  description = "Memorystore's TLS CA certificates."
  value       = module.devflow.redis_ca_certificates
}

output "operator_secrets" {
  description = "Secret names (devflow-<environment>-<name>) operators fill in."
  value       = module.devflow.operator_secrets
}

output "service_account_emails" {
  description = "App => Google service account email."
  value       = module.devflow.service_account_emails
}
