output "project_id" {
  description = "The environment's project."
  value       = var.project_id
}

output "project_number" {
  description = "The project's number."
  value       = data.google_project.this.number
}

output "region" {
  description = "The environment's region."
  value       = var.region
}

output "environment" {
  description = "The environment's name."
  value       = var.environment
}

output "image_registry" {
  description = "<region>-docker.pkg.dev/<project>/devflow: where CI pushes web, worker, collab and ai images."
  value       = module.artifact_registry.registry
}

output "service_account_emails" {
  description = "App (web, worker, collab, ai, migrate, pubsub-push, gke-nodes) => Google service account email."
  value       = module.service_accounts.emails
}

output "public_url" {
  description = "The web app's address (PUBLIC_URL)."
  value       = local.public_url
}

output "collab_host" {
  description = "collab's hostname (its Ingress and ManagedCertificate)."
  value       = local.collab_host
}

output "ai_host" {
  description = "ai's hostname (its Ingress and ManagedCertificate)."
  value       = local.ai_host
}

output "collab_public_url" {
  description = "collab's address (COLLAB_PUBLIC_URL)."
  value       = local.collab_public_url
}

output "ai_public_url" {
  description = "ai's address (AI_PUBLIC_URL)."
  value       = local.ai_public_url
}

output "worker_url" {
  description = "The worker's run.app address: webhooks (GitHub, Slack) and Pub/Sub pushes land there."
  value       = local.worker_url
}

output "web_internal_url" {
  description = "The web service's run.app address, which ai calls from inside the VPC (WEB_INTERNAL_URL)."
  value       = module.web.uri
}

output "service_token_jwks_url" {
  description = "Where collab, ai and worker fetch web's service-token keys (SERVICE_TOKEN_JWKS_URL)."
  value       = local.service_token_jwks_url
}

output "collab_static_ip_name" {
  description = "Name of the global address collab's Ingress claims."
  value       = module.load_balancer.ingress_addresses["collab"].name
}

output "ai_static_ip_name" {
  description = "Name of the global address ai's Ingress claims."
  value       = module.load_balancer.ingress_addresses["ai"].name
}

output "dns_records" {
  description = "Hostname => IPv4 address: the A records to create (Terraform does not manage DNS)."
  value = {
    "app.${var.domain}" = module.load_balancer.web_ip_address
    (local.collab_host) = module.load_balancer.ingress_addresses["collab"].address
    (local.ai_host)     = module.load_balancer.ingress_addresses["ai"].address
  }
}

output "secret_prefix" {
  description = "projects/<project>/secrets/devflow-<environment>-: every secret's resource name is this plus its name."
  value       = module.secrets.secret_prefix
}

output "operator_secrets" {
  description = "Secrets with a blank first version, for operators to fill in."
  value       = module.secrets.operator_secrets
}

output "collab_replicas" {
  description = "collab's autoscaling bounds, { min, max }."
  value       = var.collab_replicas
}

output "ai_replicas" {
  description = "ai's autoscaling bounds, { min, max }."
  value       = var.ai_replicas
}

output "gke_cluster" {
  description = "The GKE cluster's name and location (gcloud container clusters get-credentials)."
  value = {
    name     = module.gke.name
    location = module.gke.location
  }
}

output "cloud_run_services" {
  description = "Cloud Run service names of web and worker."
  value = {
    web    = module.web.name
    worker = module.worker.name
  }
}

output "migrate_job" {
  description = "The migration job to run before each rollout (gcloud run jobs execute <name> --region <region> --wait)."
  value       = module.migrate.name
}

output "database" {
  description = "Cloud SQL: instance name, connection name (Auth Proxy) and private IP."
  value = {
    instance        = module.cloud_sql.instance_name
    connection_name = module.cloud_sql.connection_name
    private_ip      = module.cloud_sql.private_ip
  }
}

output "redis_ca_certificates" {
  description = "PEM CA certificates of Memorystore's TLS (clients of rediss:// must trust them)."
  value       = module.memorystore.server_ca_certs
}

output "uploads_bucket" {
  description = "The uploads bucket (GCS_BUCKET)."
  value       = module.storage.name
}

output "pubsub_topics" {
  description = "Event type => topic name."
  value       = module.pubsub.topics
}

output "pubsub_subscriptions" {
  description = "Handler => push subscription name."
  value       = module.pubsub.subscriptions
}
